#include "http/error_map.hpp"
#include "http/handlers/handlers.hpp"

namespace authsvc::http {

// DELETE /api/v1/auth/logout: ends the session of the refresh token (all its tokens).
Handler logout(auth::Sessions& sessions, tracing::Metrics& metrics) {
  return [&sessions, &metrics](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    auto ended = co_await sessions.logout(context.caller->claims);
    if (!ended) co_return error_reply(context, ended.error());
    metrics.add("auth_revocations_total", {{"how", "logout"}});
    co_return HttpResponse::message(200, "Access token revoked");
  };
}

}  // namespace authsvc::http
