#pragma once

#include <map>
#include <string>
#include <vector>

#include "auth/accounts.hpp"
#include "auth/authenticator.hpp"
#include "auth/login_history.hpp"
#include "auth/rate_limiter.hpp"
#include "auth/roles.hpp"
#include "auth/sessions.hpp"
#include "auth/user_directory.hpp"
#include "tokens/key_ring.hpp"
#include "tracing/metrics.hpp"

namespace authsvc::http {

// Settings the handlers need, copied from the configuration by the composition root.
struct ApiSettings {
  std::string public_url;  // empty: derived from the request's Host
  std::string issuer;
  std::string algorithm;  // JWT_ALGORITHM
  std::size_t password_min_length = 8;
  std::map<std::string, std::string, std::less<>> introspection_clients;
  std::vector<std::string> trusted_proxies;
  std::vector<std::string> metrics_allow;  // peers that may read /metrics
};

// What the API handlers call: the auth layer's services. Owned by the composition root, which
// outlives every request.
struct ApiServices {
  auth::Accounts& accounts;
  auth::Sessions& sessions;
  auth::Authenticator& authenticator;
  auth::UserDirectory& directory;
  auth::LoginHistory& history;
  auth::Roles& roles;
  auth::RateLimiter& limiter;
  auth::LoginThrottle& throttle;
  const tokens::KeyRing& key_ring;
  tracing::Metrics& metrics;
  ApiSettings settings;
};

}  // namespace authsvc::http
