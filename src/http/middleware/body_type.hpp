#pragma once

#include "http/dispatcher.hpp"

namespace authsvc::http {

// SPEC R1: a body on a JSON route must say it is JSON (Content-Type: application/json), else 415
// {"message": ...}; routes that also take forms (RFC 7009/7662) accept
// application/x-www-form-urlencoded too. A cross-site HTML form can send only a form, text/plain
// or multipart body, so it can never sign anybody up or in. Runs after the access check, as the
// original did (its token check came before it read the body).
Middleware body_type_middleware();

}  // namespace authsvc::http
