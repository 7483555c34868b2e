#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "tracing/sampler.hpp"
#include "tracing/span.hpp"
#include "tracing/trace_context.hpp"

namespace authsvc::tracing {

// The trace a request belongs to, as every span started while it is served sees it: the context
// its children name as parent, whether it is recorded, and the X-Request-Id each span carries.
struct ActiveRequest {
  const class Tracer* tracer = nullptr;
  TraceContext context;  // trace id, the server span's id, flags, tracestate
  bool recording = false;
  std::string_view request_id;  // the request's, which outlives its trace
};

// A request's trace, begun by the HTTP layer: the context children see, and the server span.
struct RequestTrace {
  ActiveRequest active;
  Span span;
};

// Starts spans. Without a sink it records nothing but still gives every request trace and span ids
// (for the logs and for propagation). Thread-safe.
class Tracer {
 public:
  Tracer() = default;
  Tracer(SpanSink* sink, Sampler sampler) : sink_(sink), sampler_(sampler) {}

  bool enabled() const noexcept { return sink_ != nullptr; }

  // The trace of an incoming request: the caller's (`incoming`, from traceparent) continued, or a
  // new one. The server span is named `name` (renamed once the route is known).
  RequestTrace begin_request(std::optional<TraceContext> incoming, std::string_view request_id,
                             std::string name) const;
  // A child of `parent` (a recording request), carrying its request id.
  Span start_child(const ActiveRequest& parent, std::string_view name, SpanKind kind) const;

 private:
  SpanSink* sink_ = nullptr;
  Sampler sampler_;
};

}  // namespace authsvc::tracing
