#include "http/middleware/bearer.hpp"

#include "http/bearer.hpp"
#include "http/client_credentials.hpp"
#include "http/token_request.hpp"

namespace authsvc::http {
namespace {

bool needs_token(Access access) {
  return access == Access::access || access == Access::refresh || access == Access::admin;
}

}  // namespace

Middleware bearer_middleware(auth::Authenticator& authenticator,
                             const auth::ServiceClients& services) {
  return [&authenticator, &services](RequestContext& context, const Route& route,
                                     Next next) -> boost::asio::awaitable<HttpResponse> {
    if (route.policy.access == Access::service) {
      auto client = client_credentials(context.request, token_request_parameters(context.request));
      if (client && services.authenticate(client->id, client->secret)) {
        context.service_client = std::move(client->id);
      }
      co_return co_await next(context);
    }
    const auto header = context.request.header("authorization");
    if (needs_token(route.policy.access) || (route.policy.rate_limited && header)) {
      auto token = bearer_token(header);
      if (token) {
        context.bearer = co_await authenticator.verify(std::move(token).value());
      } else {
        context.bearer = token.take_error();
      }
    }
    co_return co_await next(context);
  };
}

}  // namespace authsvc::http
