#pragma once

#include "http/api_services.hpp"
#include "http/dispatcher.hpp"

namespace authsvc::http {

// SPEC R4 on routes whose policy says rate_limited: per token subject when the request carries a
// valid bearer token, else per client IP. Over the limit: 429 {"message": "too many requests"}
// with Retry-After; every counted answer carries RateLimit-Limit/Remaining/Reset.
Middleware rate_limit_middleware(ApiServices& api);

}  // namespace authsvc::http
