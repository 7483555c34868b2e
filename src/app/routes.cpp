#include "app/routes.hpp"

#include "http/handlers/api_docs.hpp"
#include "http/handlers/handlers.hpp"
#include "http/handlers/health.hpp"

namespace authsvc::app {

http::Router build_router(const Config& config, const Backends& backends, ServiceGraph& services) {
  using http::Access;
  // The policies of SPEC 2 and 3: who may call, and whether R4's rate limit counts the call.
  constexpr http::RoutePolicy open{};
  constexpr http::RoutePolicy limited{.rate_limited = true};
  constexpr http::RoutePolicy access{.access = Access::access, .rate_limited = true};
  constexpr http::RoutePolicy refresh{.access = Access::refresh, .rate_limited = true};
  constexpr http::RoutePolicy admin{.access = Access::admin, .rate_limited = true};
  constexpr http::RoutePolicy linking{.access = Access::access};
  constexpr http::RoutePolicy probe{.probe = true};
  // The same, for routes that read a body: JSON (SPEC R1), or JSON or a form (RFC 7009, 7662).
  using http::RequestBody;
  constexpr http::RoutePolicy limited_json{.rate_limited = true, .body = RequestBody::json};
  constexpr http::RoutePolicy access_json{
      .access = Access::access, .rate_limited = true, .body = RequestBody::json};
  constexpr http::RoutePolicy admin_json{
      .access = Access::admin, .rate_limited = true, .body = RequestBody::json};
  constexpr http::RoutePolicy limited_form{.rate_limited = true, .body = RequestBody::json_or_form};
  constexpr http::RoutePolicy service_form{
      .access = Access::service, .rate_limited = true, .body = RequestBody::json_or_form};

  auto& accounts = services.accounts();
  auto& logins = services.logins();
  auto& sessions = services.sessions();
  auto& roles = services.roles();
  auto& metrics = services.metrics();
  const auto min_length = config.password_min_length;
  const IpRangeList proxies(config.trusted_proxies);

  auto& social = services.social_login();
  const http::OAuthSettings oauth{config.oauth_state_ttl,
                                  config.oauth_redirect_base_url.starts_with("https://"), proxies,
                                  services.providers().names()};
  const std::string user_role = "/api/v1/users/{user_id:uuid}/roles/{role_id:uuid}";
  std::vector<http::Route> routes{
      // Probes and discovery.
      {"GET", "/healthz", probe, http::healthz()},
      {"GET", "/readyz", probe, http::readyz(backends.readiness_probes())},
      {"GET", "/.well-known/jwks.json", open, http::jwks(services.key_ring())},
      {"GET", "/.well-known/openid-configuration", open,
       http::discovery({config.public_url, config.jwt_issuer, config.jwt_algorithm, proxies})},
      // Scraped straight from the instance, without nginx's request id.
      {"GET", "/metrics", probe, http::metrics_text(metrics, IpRangeList(config.metrics_allow))},

      // The API documentation (SPEC 2).
      {"GET", "/openapi.json", open, http::api_specification()},
      {"GET", "/apispec_1.json", open, http::api_specification()},
      {"GET", "/apidocs", open, http::api_docs_redirect()},
      {"GET", "/apidocs/", open, http::api_docs_page()},
      {"GET", "/apidocs/{file}", open, http::api_docs_file()},

      // The compatible API (SPEC 2).
      {"POST", "/api/v1/auth/signup", limited_json, http::signup(accounts, min_length)},
      {"POST", "/api/v1/auth/login", limited_json, http::login(logins, metrics, proxies)},
      {"POST", "/api/v1/auth/refresh-token", refresh, http::refresh_token(sessions, metrics)},
      {"DELETE", "/api/v1/auth/logout", refresh, http::logout(sessions, metrics)},
      {"PATCH", "/api/v1/auth/password-change/{user_id:uuid}", access_json,
       http::password_change(logins, min_length, proxies)},
      {"PATCH", "/api/v1/auth/profile-change/{profile_id:uuid}", access_json,
       http::profile_change(accounts)},
      {"GET", "/api/v1/auth/login-history/{user_id:uuid}", access,
       http::login_history(services.login_history())},
      {"GET", "/api/v1/auth/verify-jwt", access, http::verify_jwt()},
      {"GET", "/api/v1/auth/hello", access, http::hello()},
      {"GET", "/api/v1/roles/", admin, http::list_roles(roles)},
      {"POST", "/api/v1/roles/", admin_json, http::create_role(roles)},
      {"GET", "/api/v1/roles", limited, http::roles_slash_redirect()},
      {"POST", "/api/v1/roles", limited, http::roles_slash_redirect()},
      {"PATCH", "/api/v1/roles/{role_id:uuid}", admin_json, http::update_role(roles)},
      {"DELETE", "/api/v1/roles/{role_id:uuid}", admin, http::delete_role(roles)},
      {"GET", "/api/v1/roles/{name}", admin, http::get_role(roles)},
      {"POST", user_role, admin, http::assign_role(roles)},
      {"DELETE", user_role, admin, http::unassign_role(roles)},
      {"GET", user_role, admin, http::check_role(roles)},

      // The new endpoints (SPEC 3).
      {"GET", "/api/v1/auth/me", access, http::me(accounts)},
      {"GET", "/api/v1/auth/sessions", access, http::list_sessions(sessions)},
      {"DELETE", "/api/v1/auth/sessions/{session_id:uuid}", access,
       http::end_session(sessions, metrics)},
      {"DELETE", "/api/v1/auth/sessions", access, http::end_all_sessions(sessions, metrics)},
      {"POST", "/api/v1/auth/revoke", limited_form,
       http::revoke(services.authenticator(), sessions, metrics)},
      {"POST", "/api/v1/auth/introspect", service_form, http::introspect(services.introspection())},

      // Social login (SPEC 6); not rate limited (R4), the callback bounds its provider calls.
      {"GET", "/api/v1/oauth/{provider}/login", open, http::oauth_login(social, oauth)},
      {"GET", "/api/v1/oauth/{provider}/auth", open, http::oauth_callback(social, metrics, oauth)},
      {"POST", "/api/v1/oauth/{provider}/link", linking, http::oauth_link(social, oauth)},
      {"GET", "/api/v1/oauth/accounts", linking, http::oauth_accounts(social)},
      {"DELETE", "/api/v1/oauth/{provider}", linking, http::oauth_unlink(social)},
  };
  http::Router router;
  for (auto& route : routes) router.add(std::move(route));
  return router;
}

}  // namespace authsvc::app
