#pragma once

#include <string>

#include "common/result.hpp"
#include "http/http_message.hpp"

namespace authsvc::http {

// The token of `Authorization: Bearer <JWT>`, with flask-jwt-extended's answers (SPEC R2) as
// TokenErrc errors: no (or an empty) header -> 401 "Missing Authorization Header"; another scheme
// -> 401 "Missing 'Bearer' type in 'Authorization' header. Expected 'Authorization: Bearer
// <JWT>'"; not exactly two parts -> 422 "Bad Authorization header. Expected 'Authorization:
// Bearer <JWT>'".
Result<std::string> bearer_token(const HttpRequest& request);

}  // namespace authsvc::http
