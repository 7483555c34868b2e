#pragma once

#include "auth/authenticator.hpp"
#include "auth/service_clients.hpp"
#include "http/dispatcher.hpp"

namespace authsvc::http {

// Decodes and verifies the request's bearer token once (signature and claims, SPEC R2's first
// step) and keeps the outcome in RequestContext::bearer, for the routes that need a token and for
// rate-limited routes that carry one (the limiter counts a verified caller by subject). On routes
// for service clients it checks their credentials instead (RequestContext::service_client). It
// never answers itself: the rate limiter runs next, then the access policy answers.
Middleware bearer_middleware(auth::Authenticator& authenticator,
                             const auth::ServiceClients& services);

}  // namespace authsvc::http
