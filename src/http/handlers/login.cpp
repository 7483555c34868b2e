#include "auth/account_errors.hpp"
#include "http/client_address.hpp"
#include "http/error_map.hpp"
#include "http/handlers/handlers.hpp"
#include "http/handlers/token_pair_response.hpp"
#include "http/request_fields.hpp"

namespace authsvc::http {

// POST /api/v1/auth/login: a password login (auth::Logins::with_password) answered with the new
// session's first token pair.
Handler login(auth::Logins& logins, tracing::Metrics& metrics, IpRangeList trusted_proxies) {
  return [&logins, &metrics, trusted_proxies = std::move(trusted_proxies)](
             RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
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
    // A local first: g++ 12 frees a braced temporary inside co_await twice.
    auth::PasswordLogin attempt{email, fields.get_or_empty("password"),
                                client_info(context.request, trusted_proxies)};
    auto opened = co_await logins.with_password(std::move(attempt));
    if (!opened) {
      if (opened.error().is(auth::AccountErrc::locked_out)) {
        metrics.add("auth_login_failed_total", {{"reason", "locked_out"}});
      } else if (opened.error().is(auth::AccountErrc::wrong_credentials)) {
        metrics.add("auth_login_failed_total", {{"reason", "wrong_credentials"}});
      }
      co_return error_reply(context, opened.error(), {{"email", email}});
    }
    metrics.add("auth_login_success_total");
    metrics.add("auth_tokens_issued_total", {{"how", "login"}});
    co_return token_pair_response(opened->tokens);
  };
}

}  // namespace authsvc::http
