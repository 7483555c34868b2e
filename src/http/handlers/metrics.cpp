#include <algorithm>

#include "http/handlers/api_routes.hpp"

namespace authsvc::http {

// GET /metrics: Prometheus text, for the peers of METRICS_ALLOW only (everyone else sees no such
// path; the production nginx config does not publish it either).
Route metrics_route(ApiServices& api) {
  auto handler = [&api](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    const auto& allowed = api.settings.metrics_allow;
    if (std::find(allowed.begin(), allowed.end(), context.request.peer_ip) == allowed.end())
      co_return HttpResponse::message(404, "not found");
    co_return HttpResponse::text(200, api.metrics.render(), "text/plain; version=0.0.4");
  };
  return {"GET", "/metrics", std::move(handler)};
}

}  // namespace authsvc::http
