#include "app/application.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/system/system_error.hpp>
#include <csignal>

#include "app/routes.hpp"
#include "common/ids.hpp"
#include "common/log.hpp"
#include "http/middleware/access.hpp"
#include "http/middleware/bearer.hpp"
#include "http/middleware/rate_limit.hpp"
#include "outbound/beast_http_client.hpp"
#include "storage/migrations.hpp"
#include "storage/redis/redis_memory_policy.hpp"
#include "tracing/sampler.hpp"

namespace authsvc::app {

namespace asio = boost::asio;

Application::Application(Config config) : config_(std::move(config)) {}

Application::~Application() {
  stop();
}

storage::SqlDatabase& Application::database() {
  return *backends_.database;
}

Result<void> Application::start() {
  std::vector<asio::any_io_executor> executors;
  for (unsigned i = 0; i < config_.io_threads; ++i) {
    io_contexts_.push_back(std::make_unique<asio::io_context>(1));
    executors.push_back(io_contexts_.back()->get_executor());
  }
  auto backends = open_backends(config_, backend_.executor(), executors);
  if (!backends) return backends.take_error();
  backends_ = std::move(backends).value();

  if (backends_.redis) {
    // The denylist lives in Redis: a key evicted under memory pressure would be a revoked token
    // accepted again. Only a Redis that never evicts is used (an unreachable one is an outage,
    // answered 503 until it is back, and checked by /readyz).
    auto policy = backend_.run(storage::redis_memory_policy(*backends_.redis));
    if (policy && *policy != "noeviction") {
      return Error(InfraErrc::internal,
                   "REDIS_URL: Redis has maxmemory-policy '" + *policy +
                       "'; revocations kept there must never be evicted: set maxmemory-policy "
                       "noeviction");
    }
  }
  auto upgraded = backend_.run(storage::upgrade(*backends_.database));
  if (!upgraded)
    return Error(upgraded.error().code, "database upgrade failed: " + upgraded.error().describe());

  try {
    services_ = std::make_unique<ServiceGraph>(config_, backends_);
  } catch (const std::exception& e) {
    return Error(InfraErrc::internal, e.what());
  }
  auto prepared = backend_.run(services_->prepare());
  if (!prepared) return prepared.take_error();
  maintenance_ = std::make_unique<Maintenance>(
      backend_.executor(), *services_,
      Maintenance::Options{.original_import_interval = config_.original_denylist_import_interval});

  start_tracing();
  auto observe = [metrics = &services_->metrics()](const http::RequestContext& context,
                                                   const http::HttpResponse& response) {
    metrics->observe_request(context.route, context.request.method, response.status,
                             std::chrono::steady_clock::now() - context.started);
  };
  dispatcher_ = std::make_unique<http::Dispatcher>(
      build_router(config_, backends_, *services_),
      http::DispatcherOptions{config_.require_request_id, std::move(observe), tracer_.get()});
  // The bearer token is verified once; the limiter counts by it; then the route's access policy
  // answers a bad token or fills in the caller (the dispatcher then checks the body's type).
  dispatcher_->use(
      http::bearer_middleware(services_->authenticator(), services_->service_clients()));
  dispatcher_->use(http::rate_limit_middleware(services_->rate_limiter(), services_->metrics(),
                                               IpRangeList(config_.trusted_proxies),
                                               config_.introspection_limit_per_minute));
  dispatcher_->use(http::access_middleware(services_->authenticator(), services_->metrics()));
  server_ = std::make_unique<http::Server>(
      executors, *dispatcher_,
      http::ServerOptions{config_.host, config_.port, config_.max_body_bytes,
                          config_.max_header_bytes, config_.read_timeout, config_.idle_timeout,
                          config_.exports_traces()});
  try {
    server_->start();
  } catch (const boost::system::system_error& e) {  // what Asio throws (not a std::system_error)
    return Error(InfraErrc::unavailable, "cannot listen on " + config_.host + ":" +
                                             std::to_string(config_.port) + ": " +
                                             e.code().message());
  }
  for (auto& io : io_contexts_) {
    threads_.emplace_back([&io] {
      auto guard = asio::make_work_guard(*io);
      io->run();
    });
  }
  started_ = true;
  log_event(spdlog::level::info, "listening",
            {{"host", boost::json::value(config_.host)},
             {"port", boost::json::value(server_->port())},
             {"io_threads", boost::json::value(config_.io_threads)},
             {"database", boost::json::value(config_.uses_postgres() ? "postgresql" : "sqlite")},
             {"redis", boost::json::value(config_.uses_redis())}});
  return {};
}

void Application::start_tracing() {
  if (config_.exports_traces()) {
    tracing::OtlpExporterOptions options;
    options.traces_url = config_.otlp_traces_url;
    options.resource = {config_.otel_service_name, AUTH_VERSION, random_hex(8)};
    options.schedule_delay = config_.otel_schedule_delay;
    options.max_queue = config_.otel_max_queue;
    options.max_batch = config_.otel_max_batch;
    options.export_timeout = config_.otel_export_timeout;
    outbound::HttpClientOptions http;
    http.connect_timeout = std::min(config_.otel_export_timeout, std::chrono::milliseconds(3000));
    http.request_timeout = config_.otel_export_timeout;
    http.max_idle_per_origin = 2;
    exporter_ = std::make_unique<tracing::OtlpExporter>(
        std::move(options), std::make_unique<outbound::BeastHttpClient>(std::move(http)));
    auto& metrics = services_->metrics();
    const tracing::OtlpExporter* exporter = exporter_.get();
    metrics.counter_from("auth_trace_spans_exported_total", "Spans delivered to the collector.", {},
                         [exporter] { return exporter->counters().exported; });
    const std::string dropped_help = "Spans not exported, by reason (never waited for).";
    metrics.counter_from("auth_trace_spans_dropped_total", dropped_help, {{"reason", "queue_full"}},
                         [exporter] { return exporter->counters().dropped_queue_full; });
    metrics.counter_from("auth_trace_spans_dropped_total", dropped_help,
                         {{"reason", "export_failed"}},
                         [exporter] { return exporter->counters().dropped_export_failed; });
    metrics.counter_from("auth_trace_export_failures_total",
                         "Export requests that failed (retried or not).", {},
                         [exporter] { return exporter->counters().export_requests_failed; });
    metrics.gauge("auth_trace_queue_spans", "Spans waiting for export.",
                  [exporter] { return static_cast<double>(exporter->queued()); });
  }
  const auto sampler = tracing::Sampler::named(config_.otel_sampler, config_.otel_sampler_arg);
  tracer_ =
      std::make_unique<tracing::Tracer>(exporter_.get(), sampler.value_or(tracing::Sampler{}));
}

tracing::OtlpExporter::Counters Application::span_counters() const {
  return exporter_ ? exporter_->counters() : tracing::OtlpExporter::Counters{};
}

std::uint16_t Application::port() const {
  return server_ ? server_->port() : 0;
}

void Application::stop() {
  if (stopped_) return;
  stopped_ = true;
  if (server_) {
    server_->stop();
    if (!server_->wait_drained(config_.shutdown_grace)) {
      log_event(spdlog::level::warn, "shutdown grace period over; closing remaining connections",
                {{"open_connections", boost::json::value(server_->open_connections())}});
    }
  }
  for (auto& io : io_contexts_) io->stop();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  threads_.clear();
  // Every request has ended, and with it its spans: send what is queued.
  if (exporter_) exporter_->shutdown(config_.otel_export_timeout);
  server_.reset();
  dispatcher_.reset();
  maintenance_.reset();
  services_.reset();
  tracer_.reset();
  exporter_.reset();
  backends_.close();
  backend_.stop();
  if (started_) log_event(spdlog::level::info, "stopped");
}

void Application::run_until_signal() {
  asio::io_context signals_io;
  asio::signal_set signals(signals_io, SIGINT, SIGTERM);
  signals.async_wait([](const boost::system::error_code&, int) {});
  signals_io.run();
  log_event(spdlog::level::info, "shutting down");
  stop();
}

}  // namespace authsvc::app
