#pragma once

#include <optional>
#include <string>

namespace authsvc::auth {

// Where a login came from: kept with its session and its login-history row.
struct ClientInfo {
  std::optional<std::string> user_agent;
  std::optional<std::string> ip;
};

}  // namespace authsvc::auth
