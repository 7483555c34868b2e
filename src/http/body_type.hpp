#pragma once

#include <optional>

#include "http/http_message.hpp"
#include "http/router.hpp"

namespace authsvc::http {

// SPEC R1: a body on a JSON route must say it is JSON (Content-Type: application/json), else 415
// {"message": ...}; routes that also take forms (RFC 7009/7662) accept
// application/x-www-form-urlencoded too. A cross-site HTML form can send only a form, text/plain
// or multipart body, so it can never sign anybody up or in. The dispatcher asks just before the
// handler, after the access check, as the original did (its token check came before it read the
// body); a plain call, so routes without a body pay one comparison.
std::optional<HttpResponse> body_type_refusal(RequestBody expected, const HttpRequest& request);

}  // namespace authsvc::http
