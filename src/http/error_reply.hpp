#pragma once

#include "common/error.hpp"
#include "http/http_message.hpp"
#include "http/request_context.hpp"

namespace authsvc::http {

// The answer for an error no handler-specific rule claimed, the same for every route:
//   TokenErrc            -> 401/422 {"msg": "<flask-jwt-extended text>"} (SPEC R2)
//   InfraErrc overloaded -> 503 {"message": "service overloaded, retry later"} + Retry-After
//   other InfraErrc      -> 503 {"message": "service temporarily unavailable"} + Retry-After
//   anything else        -> 500 {"message": "internal server error"}
// Outages are never 4xx (SPEC 4). Details go to the log with the request id, never to the client.
HttpResponse error_reply(const RequestContext& context, const Error& error);

// Marks a response that carries tokens (SPEC 3: Cache-Control: no-store).
HttpResponse no_store(HttpResponse response);

}  // namespace authsvc::http
