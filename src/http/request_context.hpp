#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/http_message.hpp"

namespace authsvc::http {

// What a handler sees: the request plus what routing and middleware found out about it.
struct RequestContext {
  const HttpRequest& request;
  std::string request_id;
  std::string_view route;  // the matched pattern, for logs and metrics ("-" when none)
  std::vector<std::pair<std::string_view, std::string>> params;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();

  std::string_view param(std::string_view name) const {
    for (const auto& [key, value] : params) {
      if (key == name) return value;
    }
    return {};
  }
};

}  // namespace authsvc::http
