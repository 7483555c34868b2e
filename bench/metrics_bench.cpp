// What the metrics cost a verify-jwt request: one request counter increment and one latency
// observation, as /metrics keeps them. Ours (tracing::Metrics: atomics, no lock on the request
// path) against prometheus-cpp's core (Debian prometheus-cpp-dev 1.0.1), both with the series
// handles a server would cache and without them. Run with 1 and 2 threads (this machine's cores).
#include <benchmark/benchmark.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <chrono>
#include <vector>

#include "tracing/metrics.hpp"

namespace {

constexpr std::string_view kRoute = "/api/v1/auth/verify-jwt";
const auto kLatency = std::chrono::microseconds(700);

void MetricsOurs(benchmark::State& state) {
  static authsvc::tracing::Metrics metrics;
  for (auto _ : state) metrics.observe_request(kRoute, "GET", 200, kLatency);
}
BENCHMARK(MetricsOurs)->Threads(1)->Threads(2)->UseRealTime();

struct Prometheus {
  prometheus::Registry registry;
  prometheus::Family<prometheus::Counter>& requests =
      prometheus::BuildCounter().Name("auth_http_requests_total").Register(registry);
  prometheus::Family<prometheus::Histogram>& latency =
      prometheus::BuildHistogram().Name("auth_http_request_duration_seconds").Register(registry);
  prometheus::Histogram::BucketBoundaries buckets{
      authsvc::tracing::Metrics::kLatencyBuckets.begin(),
      authsvc::tracing::Metrics::kLatencyBuckets.end()};
};

Prometheus& prometheus_metrics() {
  static Prometheus instance;
  return instance;
}

// With the handles a server would keep per route and status (looked up once).
void MetricsPrometheusCppCachedHandles(benchmark::State& state) {
  auto& metrics = prometheus_metrics();
  auto& counter =
      metrics.requests.Add({{"route", std::string(kRoute)}, {"method", "GET"}, {"status", "200"}});
  auto& histogram = metrics.latency.Add({{"route", std::string(kRoute)}}, metrics.buckets);
  for (auto _ : state) {
    counter.Increment();
    histogram.Observe(std::chrono::duration<double>(kLatency).count());
  }
}
BENCHMARK(MetricsPrometheusCppCachedHandles)->Threads(1)->Threads(2)->UseRealTime();

// With the labels looked up on every request (the family's lock and a label map each time).
void MetricsPrometheusCppLookedUp(benchmark::State& state) {
  auto& metrics = prometheus_metrics();
  for (auto _ : state) {
    metrics.requests.Add({{"route", std::string(kRoute)}, {"method", "GET"}, {"status", "200"}})
        .Increment();
    metrics.latency.Add({{"route", std::string(kRoute)}}, metrics.buckets)
        .Observe(std::chrono::duration<double>(kLatency).count());
  }
}
BENCHMARK(MetricsPrometheusCppLookedUp)->Threads(1)->Threads(2)->UseRealTime();

}  // namespace
