#include "http/error_map.hpp"
#include "http/handlers/handlers.hpp"
#include "http/handlers/token_pair_response.hpp"

namespace authsvc::http {

// POST /api/v1/auth/refresh-token: rotates the refresh token (first use wins; retries within the
// grace window get the same pair; a later reuse ends the session).
Handler refresh_token(auth::Sessions& sessions, tracing::Metrics& metrics) {
  return [&sessions, &metrics](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    auto pair = co_await sessions.refresh(context.caller->claims);
    if (!pair) co_return error_reply(context, pair.error());
    metrics.add("auth_tokens_issued_total", {{"how", "refresh"}});
    co_return token_pair_response(*pair);
  };
}

}  // namespace authsvc::http
