#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http/http_message.hpp"

namespace authsvc::http {

// The value of cookie `name` in the request's Cookie header(s) (RFC 6265 5.4), if present.
std::optional<std::string> cookie(const HttpRequest& request, std::string_view name);

}  // namespace authsvc::http
