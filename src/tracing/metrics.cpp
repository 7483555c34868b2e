#include "tracing/metrics.hpp"

#include <fmt/format.h>

#include <algorithm>
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

}  // namespace

void Metrics::add(std::string_view name, const Labels& labels, std::uint64_t by) {
  const std::string key = render_labels(labels);
  const std::lock_guard lock(mutex_);
  counters_[std::string(name)][key] += by;
}

void Metrics::observe_request(std::string_view route, std::string_view method, unsigned status,
                              std::chrono::duration<double> latency) {
  // Clients choose the method token: only known ones become label values, or any client could
  // create series without end.
  static constexpr std::string_view kKnown[] = {"GET",   "HEAD",   "POST",   "PUT",
                                                "PATCH", "DELETE", "OPTIONS"};
  if (std::find(std::begin(kKnown), std::end(kKnown), method) == std::end(kKnown)) method = "OTHER";
  const std::string key = render_labels({{"route", std::string(route)},
                                         {"method", std::string(method)},
                                         {"status", std::to_string(status)}});
  const double seconds = latency.count();
  const std::lock_guard lock(mutex_);
  counters_["auth_http_requests_total"][key] += 1;
  auto& histogram = latency_[std::string(route)];
  for (std::size_t i = 0; i < kLatencyBuckets.size(); ++i) {
    if (seconds <= kLatencyBuckets[i]) ++histogram.buckets[i];
  }
  ++histogram.count;
  histogram.sum += seconds;
}

void Metrics::gauge(std::string name, std::string help, std::function<double()> read) {
  const std::lock_guard lock(mutex_);
  gauges_[std::move(name)] = Gauge{std::move(help), std::move(read)};
}

void Metrics::describe(std::string name, std::string help) {
  const std::lock_guard lock(mutex_);
  counters_[name];
  help_[std::move(name)] = std::move(help);
}

std::string Metrics::render() const {
  std::string out;
  const std::lock_guard lock(mutex_);
  for (const auto& [name, series] : counters_) {
    const auto help = help_.find(name);
    if (help != help_.end()) out += fmt::format("# HELP {} {}\n", name, help->second);
    out += fmt::format("# TYPE {} counter\n", name);
    for (const auto& [labels, value] : series) out += fmt::format("{}{} {}\n", name, labels, value);
  }
  out += "# HELP auth_http_request_duration_seconds Time from request parsed to response ready.\n";
  out += "# TYPE auth_http_request_duration_seconds histogram\n";
  for (const auto& [route, histogram] : latency_) {
    const std::string label = "route=\"" + escape(route) + "\"";
    for (std::size_t i = 0; i < kLatencyBuckets.size(); ++i) {
      out += fmt::format("auth_http_request_duration_seconds_bucket{{{},le=\"{}\"}} {}\n", label,
                         kLatencyBuckets[i], histogram.buckets[i]);
    }
    out += fmt::format("auth_http_request_duration_seconds_bucket{{{},le=\"+Inf\"}} {}\n", label,
                       histogram.count);
    out += fmt::format("auth_http_request_duration_seconds_sum{{{}}} {}\n", label, histogram.sum);
    out +=
        fmt::format("auth_http_request_duration_seconds_count{{{}}} {}\n", label, histogram.count);
  }
  for (const auto& [name, gauge] : gauges_) {
    out += fmt::format("# HELP {} {}\n# TYPE {} gauge\n{} {}\n", name, gauge.help, name, name,
                       gauge.read());
  }
  return out;
}

}  // namespace authsvc::tracing
