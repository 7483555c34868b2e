#include "auth/account_errors.hpp"
#include "common/email.hpp"
#include "http/error_reply.hpp"
#include "http/handlers/api_routes.hpp"
#include "http/handlers/api_support.hpp"
#include "http/request_fields.hpp"

namespace authsvc::http {

// POST /api/v1/auth/login: password check, a new session, its first token pair, a login-history
// row.
Route login_route(ApiServices& api) {
  auto handler = [&api](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    // The original's login schema was the sign-up schema: profile keys pass, others do not.
    auto [fields, invalid] = read_json_fields(context.request.body,
                                              {{"email", true},
                                               {"password", true, 1024},
                                               {"first_name", false, 0, true},
                                               {"last_name", false, 0, true},
                                               {"phone", false, 0, true}},
                                              UnknownFields::reject);
    if (invalid) co_return std::move(*invalid);
    const std::string email = fields.get_or_empty("email");
    // Brute-force protection keys on the canonical address, known or not.
    const std::string throttle_key = canonical_email(email).value_or(email);
    if (const auto retry_after = co_await api.throttle.locked(throttle_key)) {
      api.metrics.add("auth_login_failed_total", {{"reason", "locked_out"}});
      auto response = HttpResponse::message(429, "too many requests");
      response.set_header("Retry-After", std::to_string(retry_after->count()));
      co_return response;
    }
    auto user = co_await api.accounts.login(email, fields.get_or_empty("password"));
    if (!user) {
      if (user.error().is(auth::AccountErrc::wrong_credentials)) {
        co_await api.throttle.failed(throttle_key);
        api.metrics.add("auth_login_failed_total", {{"reason", "wrong_credentials"}});
        co_return HttpResponse::message(401, "Email " + email + " or password is wrong");
      }
      co_return error_reply(context, user.error());
    }
    co_await api.throttle.succeeded(throttle_key);
    auto snapshot = co_await api.directory.get(user->id);
    if (!snapshot) co_return error_reply(context, snapshot.error());
    if (!*snapshot)
      co_return HttpResponse::message(401, "Email " + email + " or password is wrong");
    auto pair = co_await api.sessions.open(std::move(**snapshot),
                                           client_info(context.request, api.settings), "password");
    if (!pair) co_return error_reply(context, pair.error());
    api.metrics.add("auth_login_success_total");
    api.metrics.add("auth_tokens_issued_total", {{"how", "login"}});
    co_return token_pair_response(*pair);
  };
  return {"POST", "/api/v1/auth/login", std::move(handler), {.rate_limited = true}};
}

}  // namespace authsvc::http
