#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace authsvc::tracing {

// Prometheus metrics of one instance (SPEC 3, /metrics): counters with labels, request latency
// histograms per route, and gauges read at scrape time. Thread-safe; the request path takes one
// short lock per update.
class Metrics {
 public:
  using Labels = std::vector<std::pair<std::string, std::string>>;

  // Adds `by` to the counter `name` with these labels (created at 0 on first use).
  void add(std::string_view name, const Labels& labels = {}, std::uint64_t by = 1);
  // One HTTP request: auth_http_requests_total{route,method,status} and the latency histogram
  // auth_http_request_duration_seconds{route}.
  void observe_request(std::string_view route, std::string_view method, unsigned status,
                       std::chrono::duration<double> latency);
  // A gauge computed when scraped (queue depths, pool sizes).
  void gauge(std::string name, std::string help, std::function<double()> read);
  // Declares a counter's help text (shown even before its first increment).
  void describe(std::string name, std::string help);

  // The text exposition format (version 0.0.4).
  std::string render() const;

  static constexpr std::array<double, 12> kLatencyBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5};

 private:
  struct Histogram {
    std::array<std::uint64_t, kLatencyBuckets.size()> buckets{};
    std::uint64_t count = 0;
    double sum = 0;
  };
  struct Gauge {
    std::string help;
    std::function<double()> read;
  };

  mutable std::mutex mutex_;
  std::map<std::string, std::string> help_;                               // guarded
  std::map<std::string, std::map<std::string, std::uint64_t>> counters_;  // name -> labels
  std::map<std::string, Histogram> latency_;                              // route -> histogram
  std::map<std::string, Gauge> gauges_;                                   // guarded
};

}  // namespace authsvc::tracing
