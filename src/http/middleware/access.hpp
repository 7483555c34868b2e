#pragma once

#include "auth/authenticator.hpp"
#include "http/dispatcher.hpp"
#include "tracing/metrics.hpp"

namespace authsvc::http {

// Enforces each route's RoutePolicy::access before its handler runs, so no handler checks a token
// itself:
//   access, refresh, admin: the bearer token verified by bearer_middleware, then (SPEC R2 order)
//     its type and its revocation (Authenticator::accept); the caller goes into
//     RequestContext::caller. admin also needs a superuser or a holder of "admin" (else 403).
//   service: the client credentials of a configured service (HTTP Basic or client_id and
//     client_secret in the body, checked by bearer_middleware), else 401
//     {"error": "invalid_client", ...}.
// Refused tokens are counted in auth_tokens_rejected_total by reason.
Middleware access_middleware(auth::Authenticator& authenticator, tracing::Metrics& metrics);

}  // namespace authsvc::http
