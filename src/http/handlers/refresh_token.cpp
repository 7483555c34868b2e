#include "http/error_reply.hpp"
#include "http/handlers/api_routes.hpp"
#include "http/handlers/api_support.hpp"

namespace authsvc::http {

// POST /api/v1/auth/refresh-token: rotates the refresh token (first use wins; retries within the
// grace window get the same pair; a later reuse ends the session).
Route refresh_token_route(ApiServices& api) {
  auto handler = [&api](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    auto claims = co_await authenticate(api, context.request, tokens::TokenType::refresh);
    if (!claims) co_return error_reply(context, claims.error());
    auto pair = co_await api.sessions.refresh(std::move(claims).value());
    if (!pair) co_return error_reply(context, pair.error());
    api.metrics.add("auth_tokens_issued_total", {{"how", "refresh"}});
    co_return token_pair_response(*pair);
  };
  return {"POST", "/api/v1/auth/refresh-token", std::move(handler), {.rate_limited = true}};
}

}  // namespace authsvc::http
