#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace authsvc::tracing {

// Prometheus metrics of one instance (SPEC 3, /metrics): request counts and latency histograms
// per route, counters with labels, and values read at scrape time. Thread-safe.
//
// The request path takes no lock: each route's series are atomics, found through a fixed table
// of atomic pointers (a route's series are created once, on its first request). Counters of rarer
// events (logins, revocations) take a short lock. bench/metrics_bench.cpp compares this with
// prometheus-cpp's core (BENCHMARKS.md).
class Metrics {
 public:
  using Labels = std::vector<std::pair<std::string, std::string>>;

  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // Adds `by` to the counter `name` with these labels (created at 0 on first use).
  void add(std::string_view name, const Labels& labels = {}, std::uint64_t by = 1);
  // One HTTP request: auth_http_requests_total{route,method,status} and the latency histogram
  // auth_http_request_duration_seconds{route}.
  void observe_request(std::string_view route, std::string_view method, unsigned status,
                       std::chrono::duration<double> latency);
  // A gauge computed when scraped (queue depths, pool sizes).
  void gauge(std::string name, std::string help, std::function<double()> read);
  // A counter kept elsewhere (the span exporter's), read when scraped.
  void counter_from(std::string name, std::string help, Labels labels,
                    std::function<std::uint64_t()> read);
  // Declares a counter's help text (shown even before its first increment).
  void describe(std::string name, std::string help);

  // The text exposition format (version 0.0.4).
  std::string render() const;

  static constexpr std::array<double, 12> kLatencyBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5};
  static constexpr std::array<std::string_view, 8> kMethods = {
      "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "OTHER"};
  static constexpr unsigned kFirstStatus = 100;
  static constexpr unsigned kStatuses = 500;  // 100..599
  static constexpr std::size_t kMaxRoutes = 256;

 private:
  struct RouteSeries;
  struct Gauge {
    std::string help;
    std::function<double()> read;
  };
  struct ReadCounter {
    std::string name;
    std::string help;
    Labels labels;
    std::function<std::uint64_t()> read;
  };

  RouteSeries* series_for(std::string_view route);

  // Open addressing on the route's hash; slots are written once (compare-and-swap).
  std::array<std::atomic<RouteSeries*>, kMaxRoutes * 2> route_slots_{};
  std::mutex routes_mutex_;
  std::deque<std::unique_ptr<RouteSeries>> routes_;  // owns the series; guarded by routes_mutex_
  std::atomic<std::uint64_t> routes_overflowed_{0};

  mutable std::mutex mutex_;
  std::map<std::string, std::string> help_;                               // guarded
  std::map<std::string, std::map<std::string, std::uint64_t>> counters_;  // name -> labels
  std::map<std::string, Gauge> gauges_;                                   // guarded
  std::vector<ReadCounter> read_counters_;                                // guarded
};

}  // namespace authsvc::tracing
