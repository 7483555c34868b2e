#include "auth/account_errors.hpp"
#include "common/log.hpp"
#include "http/error_reply.hpp"
#include "http/handlers/api_routes.hpp"
#include "http/handlers/api_support.hpp"
#include "http/request_fields.hpp"

namespace authsvc::http {

// PATCH /api/v1/auth/password-change/<user_id>: the caller's own password; every other session of
// the caller ends.
Route password_change_route(ApiServices& api) {
  auto handler = [&api](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    auto claims = co_await authenticate(api, context.request, tokens::TokenType::access);
    if (!claims) co_return error_reply(context, claims.error());
    auto [fields, invalid] =
        read_json_fields(context.request.body, {{"old_password", true}, {"new_password", true}},
                         UnknownFields::reject);
    if (invalid) co_return std::move(*invalid);
    const std::string user_id(context.param("user_id"));
    if (user_id != claims->sub)
      co_return HttpResponse::message(400, "This account does not belong to you!");
    auto changed = co_await api.accounts.change_password(
        user_id, fields.get_or_empty("old_password"), fields.get_or_empty("new_password"));
    if (!changed) {
      const auto& error = changed.error();
      if (error.is(auth::AccountErrc::wrong_credentials))
        co_return HttpResponse::message(400, "User not exists or password is wrong");
      if (error.is(auth::AccountErrc::password_too_short))
        co_return field_error("new_password", "Shorter than minimum length " +
                                                  std::to_string(api.settings.password_min_length) +
                                                  ".");
      if (error.is(auth::AccountErrc::password_too_long))
        co_return field_error("new_password", "Longer than maximum length 1024.");
      co_return error_reply(context, error);
    }
    auto ended = co_await api.sessions.end_all(user_id, claims->sid, "password_changed");
    if (!ended) co_return error_reply(context, ended.error());
    co_return HttpResponse::message(201, "password changed successfully");
  };
  return {"PATCH",
          "/api/v1/auth/password-change/{user_id:uuid}",
          std::move(handler),
          {.rate_limited = true}};
}

}  // namespace authsvc::http
