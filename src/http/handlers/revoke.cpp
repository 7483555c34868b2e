#include <boost/json/object.hpp>

#include "http/error_map.hpp"
#include "http/handlers/handlers.hpp"
#include "http/token_request.hpp"

namespace authsvc::http {

// POST /api/v1/auth/revoke (RFC 7009): whoever holds a token may revoke it. A refresh token ends
// its session; an access token is revoked alone. Invalid or unknown tokens also get 200, so the
// answer reveals nothing about the token.
Handler revoke(auth::Authenticator& authenticator, auth::Sessions& sessions,
               tracing::Metrics& metrics) {
  return [&authenticator, &sessions,
          &metrics](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    const auto parameters = token_request_parameters(context.request);
    const auto token = parameters.find("token");
    if (token == parameters.end() || token->second.empty()) co_return missing_token_response();
    auto claims = co_await authenticator.verify(token->second);
    if (claims) {
      auto revoked = co_await sessions.revoke(std::move(claims).value());
      if (!revoked) co_return error_reply(context, revoked.error());
      metrics.add("auth_revocations_total", {{"how", "rfc7009"}});
    } else if (!tokens::token_error_reply(claims.error())) {
      co_return error_reply(context, claims.error());  // an outage, not a bad token
    }
    co_return HttpResponse::json(200, boost::json::object{});
  };
}

}  // namespace authsvc::http
