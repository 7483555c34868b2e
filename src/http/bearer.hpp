#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "http/http_message.hpp"

namespace authsvc::http {

// The token of `Authorization: Bearer <JWT>`, with flask-jwt-extended's answers (SPEC R2) as
// TokenErrc errors: no (or an empty) header -> 401 "Missing Authorization Header"; another scheme
// -> 401 "Missing 'Bearer' type in 'Authorization' header. Expected 'Authorization: Bearer
// <JWT>'"; not exactly two parts -> 422 "Bad Authorization header. Expected 'Authorization:
// Bearer <JWT>'".
Result<std::string> bearer_token(const HttpRequest& request);
// The same for the value of an Authorization header (nullopt: no header).
Result<std::string> bearer_token(std::optional<std::string_view> authorization);

}  // namespace authsvc::http
