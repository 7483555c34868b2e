#pragma once

#include <string>
#include <vector>

#include "auth/rate_limiter.hpp"
#include "common/ip_range.hpp"
#include "http/dispatcher.hpp"
#include "tracing/metrics.hpp"

namespace authsvc::http {

// SPEC R4 on routes whose policy says rate_limited: per token subject when the request carries a
// verified bearer token (RequestContext::bearer), else per client IP. Routes for service clients
// count per authenticated client (RequestContext::service_client) against `service_limit`, so one
// service cannot spend another's budget. Over the limit: 429 {"message": "too many requests"}
// with Retry-After; every counted answer carries RateLimit-Limit/Remaining/Reset.
Middleware rate_limit_middleware(auth::RateLimiter& limiter, tracing::Metrics& metrics,
                                 IpRangeList trusted_proxies, std::int64_t service_limit);

}  // namespace authsvc::http
