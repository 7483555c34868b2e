#include "http/error_map.hpp"
#include "http/handlers/handlers.hpp"
#include "http/request_fields.hpp"

namespace authsvc::http {

// PATCH /api/v1/auth/profile-change/<profile_id>: any of first_name, last_name, phone (null
// clears one); other keys are ignored, as the original did.
Handler profile_change(auth::Accounts& accounts) {
  return [&accounts](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    auto [fields, invalid] = read_json_fields(context.request.body,
                                              {{"first_name", false, 255, true},
                                               {"last_name", false, 255, true},
                                               {"phone", false, 50, true}},
                                              UnknownFields::ignore);
    if (invalid) co_return std::move(*invalid);
    storage::ProfileChanges changes;
    if (fields.has("first_name")) changes.first_name = fields.get("first_name");
    if (fields.has("last_name")) changes.last_name = fields.get("last_name");
    if (fields.has("phone")) changes.phone = fields.get("phone");
    auto changed = co_await accounts.change_profile(
        context.caller->user_id(), std::string(context.param("profile_id")), std::move(changes));
    if (!changed) co_return error_reply(context, changed.error());
    co_return HttpResponse::message(201, "profile changed successfully");
  };
}

}  // namespace authsvc::http
