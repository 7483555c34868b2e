#pragma once

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <string>
#include <vector>

#include "http/router.hpp"

namespace authsvc::http {

// A dependency that /readyz checks, e.g. the database or Redis; the check returns true when usable.
struct ReadinessProbe {
  std::string name;
  std::function<boost::asio::awaitable<bool>()> check;
};

// GET /healthz: the process answers. GET /readyz: every probe passes (else 503 naming the
// failures).
Handler healthz();
Handler readyz(std::vector<ReadinessProbe> probes);

}  // namespace authsvc::http
