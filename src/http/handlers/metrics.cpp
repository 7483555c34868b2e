#include <algorithm>

#include "http/handlers/handlers.hpp"

namespace authsvc::http {

// GET /metrics: Prometheus text, for the peers of METRICS_ALLOW only (everyone else sees no such
// path; the production nginx config does not publish it either).
Handler metrics_text(tracing::Metrics& metrics, IpRangeList allowed_peers) {
  return [&metrics, allowed = std::move(allowed_peers)](
             RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    if (!allowed.contains(context.request.peer_ip))
      co_return HttpResponse::message(404, "not found");
    co_return HttpResponse::text(200, metrics.render(), "text/plain; version=0.0.4");
  };
}

}  // namespace authsvc::http
