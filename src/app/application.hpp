#pragma once

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include "app/backend_runtime.hpp"
#include "app/backends.hpp"
#include "app/maintenance.hpp"
#include "app/service_graph.hpp"
#include "common/config.hpp"
#include "http/dispatcher.hpp"
#include "http/server.hpp"
#include "tracing/otlp/otlp_exporter.hpp"
#include "tracing/tracer.hpp"

namespace authsvc::app {

// The composition root: configuration -> backends -> services -> routes -> server, and the threads
// that run them. `auth serve` and the integration tests both drive it.
class Application {
 public:
  explicit Application(Config config);
  ~Application();
  Application(const Application&) = delete;
  Application& operator=(const Application&) = delete;

  // Opens the backends, applies migrations when configured, binds the port and starts serving.
  Result<void> start();
  // The span exporter's counters (all zero when traces are not exported).
  tracing::OtlpExporter::Counters span_counters() const;
  std::uint16_t port() const;
  const Config& config() const { return config_; }
  storage::SqlDatabase& database();
  // The running instance's services (tests reach the key ring and the denylist through it).
  ServiceGraph& services() { return *services_; }
  // The routing table being served (tests compare it with the API documentation).
  const http::Router& router() const { return dispatcher_->router(); }

  // Graceful stop: no new connections, in-flight requests finish (up to shutdown_grace), then
  // the spans still queued are exported.
  void stop();
  // Blocks until SIGTERM or SIGINT, then stops gracefully.
  void run_until_signal();

 private:
  Config config_;
  BackendRuntime backend_;
  std::vector<std::unique_ptr<boost::asio::io_context>> io_contexts_;
  std::vector<std::thread> threads_;
  Backends backends_;
  std::unique_ptr<ServiceGraph> services_;
  std::unique_ptr<tracing::OtlpExporter> exporter_;  // null unless traces are exported
  std::unique_ptr<tracing::Tracer> tracer_;
  std::unique_ptr<Maintenance> maintenance_;
  std::unique_ptr<http::Dispatcher> dispatcher_;
  std::unique_ptr<http::Server> server_;
  void start_tracing();

  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace authsvc::app
