#include "app/routes.hpp"

#include "http/handlers/api_routes.hpp"
#include "http/handlers/health.hpp"

namespace authsvc::app {

http::Router build_router(const Backends& backends, http::ApiServices& api) {
  http::Router router;
  router.add(http::healthz_route());
  router.add(http::readyz_route(backends.readiness_probes()));
  for (auto& route : http::well_known_routes(api)) router.add(std::move(route));

  router.add(http::signup_route(api));
  router.add(http::login_route(api));
  router.add(http::refresh_token_route(api));
  router.add(http::logout_route(api));
  router.add(http::password_change_route(api));
  router.add(http::profile_change_route(api));
  router.add(http::login_history_route(api));
  router.add(http::verify_jwt_route(api));
  router.add(http::hello_route(api));
  for (auto& route : http::role_routes(api)) router.add(std::move(route));
  for (auto& route : http::user_role_routes(api)) router.add(std::move(route));

  router.add(http::me_route(api));
  for (auto& route : http::session_routes(api)) router.add(std::move(route));
  router.add(http::revoke_route(api));
  router.add(http::introspect_route(api));
  router.add(http::metrics_route(api));
  return router;
}

}  // namespace authsvc::app
