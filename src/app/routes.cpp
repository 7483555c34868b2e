#include "app/routes.hpp"

#include "http/handlers/health.hpp"

namespace authsvc::app {

http::Router build_router(const Backends& backends) {
  http::Router router;
  router.add(http::healthz_route());
  router.add(http::readyz_route(backends.readiness_probes()));
  return router;
}

}  // namespace authsvc::app
