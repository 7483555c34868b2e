#include "http/middleware/rate_limit.hpp"

#include "http/client_address.hpp"

namespace authsvc::http {
namespace {

// An unverifiable token cannot pick someone else's bucket: it falls back to the IP's.
std::string caller_of(const RequestContext& context, const Route& route,
                      const IpRangeList& trusted_proxies) {
  if (route.policy.access == Access::service) {
    // A budget apart from the address's count on user routes, which has another limit.
    if (context.service_client) return "client:" + *context.service_client;
    return "service-ip:" + client_ip(context.request, trusted_proxies);
  }
  if (context.bearer && *context.bearer) return "sub:" + (*context.bearer)->sub;
  return "ip:" + client_ip(context.request, trusted_proxies);
}

void set_rate_headers(HttpResponse& response, const auth::RateDecision& decision) {
  response.set_header("RateLimit-Limit", std::to_string(decision.limit));
  response.set_header("RateLimit-Remaining", std::to_string(decision.remaining));
  response.set_header("RateLimit-Reset", std::to_string(decision.reset.count()));
}

}  // namespace

Middleware rate_limit_middleware(auth::RateLimiter& limiter, tracing::Metrics& metrics,
                                 IpRangeList trusted_proxies, std::int64_t service_limit) {
  return [&limiter, &metrics, trusted_proxies = std::move(trusted_proxies), service_limit](
             RequestContext& context, const Route& route,
             Next next) -> boost::asio::awaitable<HttpResponse> {
    if (!route.policy.rate_limited) co_return co_await next(context);
    const auto limit = route.policy.access == Access::service ? service_limit : limiter.limit();
    const auto decision = co_await limiter.check(caller_of(context, route, trusted_proxies), limit);
    if (decision.degraded) {
      metrics.add("auth_rate_limiter_degraded_total");
      co_return co_await next(context);
    }
    if (!decision.allowed) {
      metrics.add("auth_rate_limited_total");
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
