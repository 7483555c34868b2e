#include "tracing/tracer.hpp"

namespace authsvc::tracing {
namespace {

constexpr std::string_view kRequestIdAttribute = "http.request_id";

}  // namespace

RequestTrace Tracer::begin_request(std::optional<TraceContext> incoming,
                                   std::string_view request_id, std::string name) const {
  RequestTrace trace;
  auto& context = trace.active.context;
  context.trace_id = incoming ? incoming->trace_id : random_trace_id();
  context.span_id = random_span_id();
  if (incoming) context.trace_state = std::move(incoming->trace_state);
  const bool sampled = enabled() && sampler_.sample(incoming, context.trace_id);
  context.flags = sampled ? 0x01 : 0x00;
  trace.active.tracer = this;
  trace.active.recording = sampled;
  trace.active.request_id = request_id;
  if (!sampled) return trace;

  auto data = std::make_unique<SpanData>();
  data->trace_id = context.trace_id;
  data->span_id = context.span_id;
  if (incoming) data->parent_span_id = incoming->span_id;
  data->name = std::move(name);
  data->kind = SpanKind::server;
  data->start_unix_nanos = unix_nanos_now();
  data->attributes.push_back(Attribute{std::string(kRequestIdAttribute), std::string(request_id)});
  trace.span = Span(std::move(data), *sink_);
  return trace;
}

Span Tracer::start_child(const ActiveRequest& parent, std::string_view name, SpanKind kind) const {
  if (!parent.recording || sink_ == nullptr) return {};
  auto data = std::make_unique<SpanData>();
  data->trace_id = parent.context.trace_id;
  data->span_id = random_span_id();
  data->parent_span_id = parent.context.span_id;
  data->name = std::string(name);
  data->kind = kind;
  data->start_unix_nanos = unix_nanos_now();
  data->attributes.push_back(
      Attribute{std::string(kRequestIdAttribute), std::string(parent.request_id)});
  return Span(std::move(data), *sink_);
}

}  // namespace authsvc::tracing
