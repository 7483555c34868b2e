#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "outbound/http_client.hpp"
#include "tracing/otlp/otlp_json.hpp"
#include "tracing/span.hpp"

namespace authsvc::tracing {

// The batch span processor's settings (OpenTelemetry's OTEL_BSP_* and OTEL_EXPORTER_OTLP_*).
struct OtlpExporterOptions {
  std::string traces_url;  // http(s)://host:4318/v1/traces
  OtlpResource resource;
  std::chrono::milliseconds schedule_delay{5'000};  // longest a span waits before export
  std::size_t max_queue = 2'048;                    // spans waiting; beyond it they are dropped
  std::size_t max_batch = 512;                      // spans per request
  std::chrono::milliseconds export_timeout{10'000};
};

// A SpanSink that batches spans off the request path and posts them over OTLP/HTTP JSON. submit()
// only appends to a bounded queue under a short lock: when the queue is full the span is dropped
// and counted, never waited for. One thread of its own exports; an export that fails is retried
// (429 and 5xx answers, connection failures) with backoff until export_timeout, then dropped and
// counted. shutdown() exports what is queued within a deadline (SIGTERM).
class OtlpExporter final : public SpanSink {
 public:
  struct Counters {
    std::uint64_t exported = 0;
    std::uint64_t dropped_queue_full = 0;
    std::uint64_t dropped_export_failed = 0;
    std::uint64_t export_requests_failed = 0;  // attempts, retried or not
  };

  // `client` carries the exports; it is used on the exporter's own thread and io_context only.
  OtlpExporter(OtlpExporterOptions options, std::unique_ptr<outbound::HttpClient> client);
  ~OtlpExporter() override;
  OtlpExporter(const OtlpExporter&) = delete;
  OtlpExporter& operator=(const OtlpExporter&) = delete;

  void submit(std::unique_ptr<SpanData> span) noexcept override;
  // Exports every queued span (giving up at `deadline`) and stops the thread. Idempotent.
  void shutdown(std::chrono::milliseconds deadline);
  Counters counters() const noexcept;
  std::size_t queued() const;

 private:
  using Batch = std::vector<std::unique_ptr<SpanData>>;
  void run();
  // Posts the batch, retrying; false when it was dropped.
  bool export_batch(const Batch& batch, std::chrono::steady_clock::time_point give_up);

  const OtlpExporterOptions options_;
  boost::asio::io_context io_;  // the exports' (and their kept-alive connections'), on thread_
  std::unique_ptr<outbound::HttpClient> client_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  Batch queue_;                                                // guarded by mutex_
  bool stopping_ = false;                                      // guarded by mutex_
  std::chrono::steady_clock::time_point shutdown_deadline_{};  // guarded by mutex_
  std::atomic<std::uint64_t> exported_{0};
  std::atomic<std::uint64_t> dropped_queue_full_{0};
  std::atomic<std::uint64_t> dropped_export_failed_{0};
  std::atomic<std::uint64_t> export_requests_failed_{0};
  std::thread thread_;
};

}  // namespace authsvc::tracing
