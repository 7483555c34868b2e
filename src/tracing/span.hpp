#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "tracing/trace_context.hpp"

namespace authsvc::tracing {

// OpenTelemetry's span kinds and status codes, with the numbers OTLP gives them.
enum class SpanKind : std::uint8_t { internal = 1, server = 2, client = 3 };
enum class SpanStatus : std::uint8_t { unset = 0, ok = 1, error = 2 };

using AttributeValue = std::variant<std::string, std::int64_t, bool, double>;
struct Attribute {
  std::string key;
  AttributeValue value;
};

// A finished (or finishing) span, as exporters see it.
struct SpanData {
  TraceId trace_id;
  SpanId span_id;
  SpanId parent_span_id;  // invalid (all zero) for a root span
  std::string name;
  SpanKind kind = SpanKind::internal;
  std::int64_t start_unix_nanos = 0;
  std::int64_t end_unix_nanos = 0;
  std::vector<Attribute> attributes;
  SpanStatus status = SpanStatus::unset;
  std::string status_message;
};

// Where ended spans go (the OTLP exporter). submit() must never block the caller for long: it is
// called on the request path.
class SpanSink {
 public:
  virtual ~SpanSink() = default;
  virtual void submit(std::unique_ptr<SpanData> span) noexcept = 0;
};

// One unit of work, ended once: explicitly, or when it goes out of scope. A default-constructed
// span records nothing and costs nothing, which is what sampled-out and untraced work get.
class Span {
 public:
  Span() = default;
  Span(std::unique_ptr<SpanData> data, SpanSink& sink) : data_(std::move(data)), sink_(&sink) {}
  Span(Span&& other) noexcept = default;
  Span& operator=(Span&& other) noexcept;
  Span(const Span&) = delete;
  Span& operator=(const Span&) = delete;
  ~Span() { end(); }

  bool recording() const noexcept { return data_ != nullptr; }
  // The span's own id (invalid when not recording).
  SpanId id() const noexcept { return data_ ? data_->span_id : SpanId{}; }
  void rename(std::string name);
  // One overload per value type, so that every call picks exactly one (no variant conversions).
  void set(std::string_view key, std::string value) { put(key, std::move(value)); }
  void set(std::string_view key, std::string_view value) { put(key, std::string(value)); }
  void set(std::string_view key, const char* value) { put(key, std::string(value)); }
  void set(std::string_view key, std::int64_t value) { put(key, value); }
  void set(std::string_view key, int value) { put(key, std::int64_t{value}); }
  void set(std::string_view key, unsigned value) { put(key, std::int64_t{value}); }
  void set(std::string_view key, std::size_t value) { put(key, static_cast<std::int64_t>(value)); }
  void set(std::string_view key, bool value) { put(key, value); }
  void set(std::string_view key, double value) { put(key, value); }
  // Status error with a description (never a secret: it is exported).
  void set_error(std::string_view description);
  // Hands the span to its sink; later calls do nothing.
  void end() noexcept;

 private:
  void put(std::string_view key, AttributeValue value);

  std::unique_ptr<SpanData> data_;
  SpanSink* sink_ = nullptr;
};

// Nanoseconds since the Unix epoch, now.
std::int64_t unix_nanos_now() noexcept;

}  // namespace authsvc::tracing
