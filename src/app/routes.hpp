#pragma once

#include "app/backends.hpp"
#include "app/service_graph.hpp"
#include "common/config.hpp"
#include "http/router.hpp"

namespace authsvc::app {

// The whole API in one table: method, path, access policy, rate limiting and handler of every
// route (SPEC 2 and 3).
http::Router build_router(const Config& config, const Backends& backends, ServiceGraph& services);

}  // namespace authsvc::app
