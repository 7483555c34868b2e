#include "tracing/metrics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <iterator>

namespace authsvc::tracing {
namespace {

std::string escape(std::string_view value) {
  std::string out;
  for (const char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string render_labels(const Metrics::Labels& labels) {
  if (labels.empty()) return {};
  std::string out = "{";
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) out += ',';
    out += labels[i].first + "=\"" + escape(labels[i].second) + "\"";
  }
  return out + "}";
}

// Clients choose the method token: only known ones become label values, or any client could
// create series without end.
std::size_t method_index(std::string_view method) {
  const auto& known = Metrics::kMethods;
  const auto* found = std::find(known.begin(), known.end() - 1, method);
  return static_cast<std::size_t>(found - known.begin());
}

}  // namespace

struct Metrics::RouteSeries {
  explicit RouteSeries(std::string_view name) : route(name) {}
  const std::string route;
  std::array<std::atomic<std::uint64_t>, kMethods.size() * kStatuses> requests{};
  std::array<std::atomic<std::uint64_t>, kLatencyBuckets.size()> buckets{};
  std::atomic<std::uint64_t> count{0};
  std::atomic<std::uint64_t> sum_nanos{0};
};

Metrics::Metrics() = default;
Metrics::~Metrics() = default;

Metrics::RouteSeries* Metrics::series_for(std::string_view route) {
  const std::size_t start = std::hash<std::string_view>{}(route) % route_slots_.size();
  for (std::size_t probe = 0; probe < route_slots_.size(); ++probe) {
    auto& slot = route_slots_[(start + probe) % route_slots_.size()];
    RouteSeries* existing = slot.load(std::memory_order_acquire);
    if (existing == nullptr) {
      // First request of this route: create its series, claim the slot (or find a rival's).
      const std::lock_guard lock(routes_mutex_);
      existing = slot.load(std::memory_order_acquire);
      if (existing == nullptr) {
        if (routes_.size() >= kMaxRoutes) return nullptr;
        routes_.push_back(std::make_unique<RouteSeries>(route));
        existing = routes_.back().get();
        slot.store(existing, std::memory_order_release);
        return existing;
      }
    }
    if (existing->route == route) return existing;
  }
  return nullptr;
}

void Metrics::add(std::string_view name, const Labels& labels, std::uint64_t by) {
  const std::string key = render_labels(labels);
  const std::lock_guard lock(mutex_);
  counters_[std::string(name)][key] += by;
}

void Metrics::observe_request(std::string_view route, std::string_view method, unsigned status,
                              std::chrono::duration<double> latency) {
  RouteSeries* series = series_for(route);
  if (series == nullptr) {
    routes_overflowed_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  const unsigned code = std::clamp(status, kFirstStatus, kFirstStatus + kStatuses - 1);
  series->requests[method_index(method) * kStatuses + (code - kFirstStatus)].fetch_add(
      1, std::memory_order_relaxed);
  const double seconds = latency.count();
  const auto bucket = std::lower_bound(kLatencyBuckets.begin(), kLatencyBuckets.end(), seconds);
  if (bucket != kLatencyBuckets.end()) {
    series->buckets[static_cast<std::size_t>(bucket - kLatencyBuckets.begin())].fetch_add(
        1, std::memory_order_relaxed);
  }
  series->count.fetch_add(1, std::memory_order_relaxed);
  series->sum_nanos.fetch_add(static_cast<std::uint64_t>(std::max(0.0, seconds) * 1e9),
                              std::memory_order_relaxed);
}

void Metrics::gauge(std::string name, std::string help, std::function<double()> read) {
  const std::lock_guard lock(mutex_);
  gauges_[std::move(name)] = Gauge{std::move(help), std::move(read)};
}

void Metrics::counter_from(std::string name, std::string help, Labels labels,
                           std::function<std::uint64_t()> read) {
  const std::lock_guard lock(mutex_);
  read_counters_.push_back(
      ReadCounter{std::move(name), std::move(help), std::move(labels), std::move(read)});
}

void Metrics::describe(std::string name, std::string help) {
  const std::lock_guard lock(mutex_);
  counters_[name];
  help_[std::move(name)] = std::move(help);
}

std::string Metrics::render() const {
  std::string out;
  std::vector<const RouteSeries*> routes;
  for (const auto& slot : route_slots_) {
    if (const RouteSeries* series = slot.load(std::memory_order_acquire)) routes.push_back(series);
  }
  std::sort(routes.begin(), routes.end(),
            [](const RouteSeries* a, const RouteSeries* b) { return a->route < b->route; });

  out += "# HELP auth_http_requests_total HTTP requests by route, method and status.\n";
  out += "# TYPE auth_http_requests_total counter\n";
  for (const RouteSeries* series : routes) {
    const std::string route = escape(series->route);
    for (std::size_t i = 0; i < series->requests.size(); ++i) {
      const auto value = series->requests[i].load(std::memory_order_relaxed);
      if (value == 0) continue;
      out +=
          fmt::format("auth_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
                      route, kMethods[i / kStatuses], kFirstStatus + i % kStatuses, value);
    }
  }
  out += "# HELP auth_http_request_duration_seconds Time from request parsed to response ready.\n";
  out += "# TYPE auth_http_request_duration_seconds histogram\n";
  for (const RouteSeries* series : routes) {
    const std::string label = "route=\"" + escape(series->route) + "\"";
    // Counted before the buckets, so that no bucket shows more than the total.
    const auto count = series->count.load(std::memory_order_relaxed);
    const auto sum = static_cast<double>(series->sum_nanos.load(std::memory_order_relaxed)) / 1e9;
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kLatencyBuckets.size(); ++i) {
      cumulative += series->buckets[i].load(std::memory_order_relaxed);
      out += fmt::format("auth_http_request_duration_seconds_bucket{{{},le=\"{}\"}} {}\n", label,
                         kLatencyBuckets[i], std::min(cumulative, count));
    }
    out += fmt::format("auth_http_request_duration_seconds_bucket{{{},le=\"+Inf\"}} {}\n", label,
                       count);
    out += fmt::format("auth_http_request_duration_seconds_sum{{{}}} {}\n", label, sum);
    out += fmt::format("auth_http_request_duration_seconds_count{{{}}} {}\n", label, count);
  }

  const std::lock_guard lock(mutex_);
  for (const auto& [name, series] : counters_) {
    const auto help = help_.find(name);
    if (help != help_.end()) out += fmt::format("# HELP {} {}\n", name, help->second);
    out += fmt::format("# TYPE {} counter\n", name);
    for (const auto& [labels, value] : series) out += fmt::format("{}{} {}\n", name, labels, value);
  }
  std::string last_name;
  for (const auto& counter : read_counters_) {
    if (counter.name != last_name) {
      out += fmt::format("# HELP {} {}\n# TYPE {} counter\n", counter.name, counter.help,
                         counter.name);
      last_name = counter.name;
    }
    out += fmt::format("{}{} {}\n", counter.name, render_labels(counter.labels), counter.read());
  }
  for (const auto& [name, gauge] : gauges_) {
    out += fmt::format("# HELP {} {}\n# TYPE {} gauge\n{} {}\n", name, gauge.help, name, name,
                       gauge.read());
  }
  const auto overflowed = routes_overflowed_.load(std::memory_order_relaxed);
  if (overflowed > 0) {
    out += fmt::format(
        "# HELP auth_metrics_routes_overflowed_total Requests of routes beyond the table.\n"
        "# TYPE auth_metrics_routes_overflowed_total counter\n"
        "auth_metrics_routes_overflowed_total {}\n",
        overflowed);
  }
  return out;
}

}  // namespace authsvc::tracing
