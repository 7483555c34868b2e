#include "http/middleware/rate_limit.hpp"

#include "http/bearer.hpp"
#include "http/handlers/api_support.hpp"

namespace authsvc::http {
namespace {

boost::asio::awaitable<std::string> caller_of(ApiServices& api, const HttpRequest& request) {
  if (auto token = bearer_token(request)) {
    // Signature and claims only (cached for repeated tokens): an unverifiable token cannot pick
    // someone else's bucket, it falls back to the IP's.
    auto claims = co_await api.authenticator.verify(std::move(token).value());
    if (claims) co_return "sub:" + claims->sub;
  }
  co_return "ip:" + client_ip(request, api.settings.trusted_proxies);
}

void set_rate_headers(HttpResponse& response, const auth::RateDecision& decision) {
  response.set_header("RateLimit-Limit", std::to_string(decision.limit));
  response.set_header("RateLimit-Remaining", std::to_string(decision.remaining));
  response.set_header("RateLimit-Reset", std::to_string(decision.reset.count()));
}

}  // namespace

Middleware rate_limit_middleware(ApiServices& api) {
  return [&api](RequestContext& context, const Route& route,
                Next next) -> boost::asio::awaitable<HttpResponse> {
    if (!route.policy.rate_limited) co_return co_await next(context);
    auto caller = co_await caller_of(api, context.request);
    const auto decision = co_await api.limiter.check(std::move(caller));
    if (decision.degraded) {
      api.metrics.add("auth_rate_limiter_degraded_total");
      co_return co_await next(context);
    }
    if (!decision.allowed) {
      api.metrics.add("auth_rate_limited_total");
      auto response = HttpResponse::message(429, "too many requests");
      response.set_header("Retry-After",
                          std::to_string(std::max<std::int64_t>(1, decision.reset.count())));
      set_rate_headers(response, decision);
      co_return response;
    }
    auto response = co_await next(context);
    set_rate_headers(response, decision);
    co_return response;
  };
}

}  // namespace authsvc::http
