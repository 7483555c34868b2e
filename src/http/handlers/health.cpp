#include "http/handlers/health.hpp"

#include <boost/json/object.hpp>

namespace authsvc::http {

Handler healthz() {
  return [](RequestContext&) -> boost::asio::awaitable<HttpResponse> {
    co_return HttpResponse::json(200, boost::json::object{{"status", "ok"}});
  };
}

Handler readyz(std::vector<ReadinessProbe> probes) {
  return [probes = std::move(probes)](RequestContext&) -> boost::asio::awaitable<HttpResponse> {
    boost::json::object checks;
    bool ready = true;
    for (const auto& probe : probes) {
      const bool ok = co_await probe.check();
      checks[probe.name] = ok ? "ok" : "unavailable";
      ready = ready && ok;
    }
    co_return HttpResponse::json(ready ? 200 : 503,
                                 boost::json::object{{"status", ready ? "ready" : "not ready"},
                                                     {"checks", std::move(checks)}});
  };
}

}  // namespace authsvc::http
