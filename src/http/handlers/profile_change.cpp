#include "auth/account_errors.hpp"
#include "http/error_reply.hpp"
#include "http/handlers/api_routes.hpp"
#include "http/handlers/api_support.hpp"
#include "http/request_fields.hpp"

namespace authsvc::http {

// PATCH /api/v1/auth/profile-change/<profile_id>: any of first_name, last_name, phone (null
// clears one); other keys are ignored, as the original did.
Route profile_change_route(ApiServices& api) {
  auto handler = [&api](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    auto claims = co_await authenticate(api, context.request, tokens::TokenType::access);
    if (!claims) co_return error_reply(context, claims.error());
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
    auto changed = co_await api.accounts.change_profile(
        claims->sub, std::string(context.param("profile_id")), std::move(changes));
    if (!changed) {
      const auto& error = changed.error();
      if (error.is(auth::AccountErrc::profile_not_found))
        co_return HttpResponse::message(400, "Profile not exists.");
      if (error.is(auth::AccountErrc::not_owner))
        co_return HttpResponse::message(400, "This profile does not belong to you!");
      co_return error_reply(context, error);
    }
    co_return HttpResponse::message(201, "profile changed successfully");
  };
  return {"PATCH",
          "/api/v1/auth/profile-change/{profile_id:uuid}",
          std::move(handler),
          {.rate_limited = true}};
}

}  // namespace authsvc::http
