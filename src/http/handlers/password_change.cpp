#include "http/client_address.hpp"
#include "http/error_map.hpp"
#include "http/handlers/handlers.hpp"
#include "http/request_fields.hpp"

namespace authsvc::http {

// PATCH /api/v1/auth/password-change/<user_id>: the caller's own password; every other session of
// the caller ends (auth::Logins::change_password).
Handler password_change(auth::Logins& logins, std::size_t password_min_length,
                        IpRangeList trusted_proxies) {
  return [&logins, password_min_length, trusted_proxies = std::move(trusted_proxies)](
             RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    auto [fields, invalid] =
        read_json_fields(context.request.body, {{"old_password", true}, {"new_password", true}},
                         UnknownFields::reject);
    if (invalid) co_return std::move(*invalid);
    auto client = client_info(context.request, trusted_proxies);
    auto changed = co_await logins.change_password(
        *context.caller, std::string(context.param("user_id")), fields.get_or_empty("old_password"),
        fields.get_or_empty("new_password"), std::move(client));
    if (!changed) {
      co_return error_reply(context, changed.error(),
                            {{"min_length", std::to_string(password_min_length)}});
    }
    co_return HttpResponse::message(201, "password changed successfully");
  };
}

}  // namespace authsvc::http
