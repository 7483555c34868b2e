#pragma once

#include "app/backends.hpp"
#include "http/api_services.hpp"
#include "http/router.hpp"

namespace authsvc::app {

// The whole routing table of the service, in one place.
http::Router build_router(const Backends& backends, http::ApiServices& api);

}  // namespace authsvc::app
