#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/caller.hpp"
#include "common/result.hpp"
#include "http/http_message.hpp"
#include "tokens/token_claims.hpp"

namespace authsvc::http {

// What a handler sees: the request plus what routing and middleware found out about it.
struct RequestContext {
  const HttpRequest& request;
  std::string request_id;
  std::string_view route;  // the matched pattern, for logs and metrics ("-" when none)
  std::vector<std::pair<std::string_view, std::string>> params;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  // The bearer token, decoded and verified once per request (http/middleware/bearer.hpp) when the
  // route needs a token or counts callers by it; nullopt otherwise.
  std::optional<Result<tokens::TokenClaims>> bearer{};
  // Routes for service clients: the client id whose credentials were verified (same middleware);
  // nullopt when they were missing or wrong.
  std::optional<std::string> service_client{};
  // Who is calling, once the route's policy accepted the token (http/middleware/access.hpp).
  std::optional<auth::Caller> caller{};

  std::string_view param(std::string_view name) const {
    for (const auto& [key, value] : params) {
      if (key == name) return value;
    }
    return {};
  }
};

}  // namespace authsvc::http
