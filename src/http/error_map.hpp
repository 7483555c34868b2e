#pragma once

#include <initializer_list>
#include <string_view>
#include <utility>

#include "common/error.hpp"
#include "http/http_message.hpp"
#include "http/request_context.hpp"

namespace authsvc::http {

// Values that the original's texts name and that come from the request body ("email", "name",
// "min_length"); route parameters ("user_id", "role_id", ...) are found by error_reply itself.
using ErrorArgs = std::initializer_list<std::pair<std::string_view, std::string_view>>;

// The one place that decides the status and body of every error (each layer keeps its precise
// error enum):
//   TokenErrc    -> 401/422 {"msg": "<flask-jwt-extended / PyJWT text>"} (SPEC R2)
//   AccountErrc, RoleErrc -> the original's status and text, from a small table; a few texts depend
//                   on the route (a wrong password is 401 at login, 400 at password change)
//   InfraErrc overloaded  -> 503 {"message": "service overloaded, retry later"} + Retry-After
//   other InfraErrc       -> 503 {"message": "service temporarily unavailable"} + Retry-After
//   anything else         -> 500 {"message": "internal server error"}
// Outages are never 4xx (SPEC 4). Error::retry_after becomes Retry-After. Details go to the log
// with the request id, never to the client.
HttpResponse error_reply(const RequestContext& context, const Error& error, ErrorArgs args = {});

// The route patterns the table names texts for (a test checks each is a route of the API).
std::vector<std::string_view> error_map_routes();

// Marks a response that carries tokens (SPEC 3: Cache-Control: no-store).
HttpResponse no_store(HttpResponse response);

}  // namespace authsvc::http
