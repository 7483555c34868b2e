#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "auth/accounts.hpp"
#include "auth/authenticator.hpp"
#include "auth/introspection.hpp"
#include "auth/login_history.hpp"
#include "auth/logins.hpp"
#include "auth/roles.hpp"
#include "auth/sessions.hpp"
#include "common/ip_range.hpp"
#include "http/router.hpp"
#include "oauth/social_login.hpp"
#include "tokens/key_ring.hpp"
#include "tracing/metrics.hpp"

// The handlers of the API, one endpoint per file. Each parses the request, makes one call on an
// auth/ service and maps the result; it is given only the services it uses. The route table, with
// each route's method, path and access policy, is app/routes.cpp; the policy (tokens, admin,
// service credentials) is enforced before a handler runs, which finds the caller in
// RequestContext::caller.
namespace authsvc::http {

// The compatible API (SPEC 2).
Handler signup(auth::Accounts& accounts, std::size_t password_min_length);
Handler login(auth::Logins& logins, tracing::Metrics& metrics, IpRangeList trusted_proxies);
Handler refresh_token(auth::Sessions& sessions, tracing::Metrics& metrics);
Handler logout(auth::Sessions& sessions, tracing::Metrics& metrics);
Handler password_change(auth::Logins& logins, std::size_t password_min_length,
                        IpRangeList trusted_proxies);
Handler profile_change(auth::Accounts& accounts);
Handler login_history(auth::LoginHistory& history);
Handler verify_jwt();
Handler hello();
Handler list_roles(auth::Roles& roles);
Handler roles_slash_redirect();
Handler get_role(auth::Roles& roles);
Handler create_role(auth::Roles& roles);
Handler update_role(auth::Roles& roles);
Handler delete_role(auth::Roles& roles);
Handler assign_role(auth::Roles& roles);
Handler unassign_role(auth::Roles& roles);
Handler check_role(auth::Roles& roles);

// The new endpoints (SPEC 3).
Handler me(auth::Accounts& accounts);
Handler list_sessions(auth::Sessions& sessions);
Handler end_session(auth::Sessions& sessions, tracing::Metrics& metrics);
Handler end_all_sessions(auth::Sessions& sessions, tracing::Metrics& metrics);
Handler revoke(auth::Authenticator& authenticator, auth::Sessions& sessions,
               tracing::Metrics& metrics);
Handler introspect(auth::Introspection& introspection);

// Discovery (SPEC 3).
struct DiscoverySettings {
  std::string public_url;  // empty: from the request's Host
  std::string issuer;
  std::string algorithm;  // JWT_ALGORITHM
  IpRangeList trusted_proxies;
};
Handler jwks(const tokens::KeyRing& key_ring);
Handler discovery(DiscoverySettings settings);

// Social login (SPEC 6).
struct OAuthSettings {
  std::chrono::seconds state_ttl{600};  // the binding cookie lives as long as a flow
  bool secure_cookie = false;           // callbacks are https
  IpRangeList trusted_proxies;
  std::vector<std::string> providers;  // configured names (metric labels stay bounded)
  bool known(const std::string& name) const {
    return std::find(providers.begin(), providers.end(), name) != providers.end();
  }
  // On https the __Host- prefix keeps a sibling subdomain from planting the binding cookie (it
  // then needs Secure and Path=/).
  std::string cookie_name() const { return secure_cookie ? "__Host-auth_oauth" : "auth_oauth"; }
  std::string cookie_path() const { return secure_cookie ? "/" : "/api/v1/oauth/"; }
};
Handler oauth_login(oauth::SocialLogin& social, OAuthSettings settings);
Handler oauth_link(oauth::SocialLogin& social, OAuthSettings settings);
Handler oauth_callback(oauth::SocialLogin& social, tracing::Metrics& metrics,
                       OAuthSettings settings);
Handler oauth_accounts(oauth::SocialLogin& social);
Handler oauth_unlink(oauth::SocialLogin& social);

// Prometheus text for the peers in `allowed_peers` (others: 404).
Handler metrics_text(tracing::Metrics& metrics, IpRangeList allowed_peers);

}  // namespace authsvc::http
