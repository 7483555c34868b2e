#include "http/error_reply.hpp"
#include "http/handlers/api_routes.hpp"
#include "http/handlers/api_support.hpp"

namespace authsvc::http {

// DELETE /api/v1/auth/logout: ends the session of the refresh token (all its tokens).
Route logout_route(ApiServices& api) {
  auto handler = [&api](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    auto claims = co_await authenticate(api, context.request, tokens::TokenType::refresh);
    if (!claims) co_return error_reply(context, claims.error());
    auto ended = co_await api.sessions.logout(std::move(claims).value());
    if (!ended) co_return error_reply(context, ended.error());
    api.metrics.add("auth_revocations_total", {{"how", "logout"}});
    co_return HttpResponse::message(200, "Access token revoked");
  };
  return {"DELETE", "/api/v1/auth/logout", std::move(handler), {.rate_limited = true}};
}

}  // namespace authsvc::http
