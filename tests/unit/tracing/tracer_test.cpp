#include "tracing/tracer.hpp"

#include <gtest/gtest.h>

#include <mutex>

#include "tracing/request_scope.hpp"

namespace authsvc::tracing {
namespace {

class CollectingSink final : public SpanSink {
 public:
  void submit(std::unique_ptr<SpanData> span) noexcept override {
    const std::lock_guard lock(mutex_);
    spans.push_back(std::move(span));
  }
  std::vector<std::unique_ptr<SpanData>> spans;

 private:
  std::mutex mutex_;
};

std::string attribute(const SpanData& span, std::string_view key) {
  for (const auto& [name, value] : span.attributes) {
    if (name == key) return std::get<std::string>(value);
  }
  return "<none>";
}

TEST(Tracer, ARequestContinuesItsCallersTraceAndChildrenNameItsSpan) {
  CollectingSink sink;
  Tracer tracer(&sink, *Sampler::named("parentbased_always_on", 1));
  const auto incoming =
      parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  auto trace = tracer.begin_request(incoming, "rid-1", "GET");
  ASSERT_TRUE(trace.active.recording);
  EXPECT_EQ(trace.active.context.trace_id, incoming->trace_id);
  EXPECT_NE(trace.active.context.span_id, incoming->span_id);

  RequestSlot slot{&trace.active};
  {
    const SlotScope scope(&slot);
    auto child = start_child_span("SELECT", SpanKind::client);
    ASSERT_TRUE(child.recording());
    const auto out = outgoing_context(child);
    ASSERT_TRUE(out);
    EXPECT_EQ(out->span_id, child.id()) << "an outgoing call names its client span";
    EXPECT_TRUE(out->sampled());
  }
  EXPECT_FALSE(start_child_span("outside", SpanKind::internal).recording());
  trace.span.rename("GET /x");
  trace.span.end();

  ASSERT_EQ(sink.spans.size(), 2U);
  const auto& child = *sink.spans[0];
  const auto& server = *sink.spans[1];
  EXPECT_EQ(server.name, "GET /x");
  EXPECT_EQ(server.kind, SpanKind::server);
  EXPECT_EQ(server.parent_span_id, incoming->span_id);
  EXPECT_EQ(child.parent_span_id, server.span_id);
  EXPECT_EQ(child.trace_id, incoming->trace_id);
  EXPECT_EQ(attribute(child, "http.request_id"), "rid-1");
  EXPECT_EQ(attribute(server, "http.request_id"), "rid-1");
  EXPECT_LE(server.start_unix_nanos, child.start_unix_nanos);
  EXPECT_LE(child.end_unix_nanos, server.end_unix_nanos);
}

TEST(Tracer, AnUnsampledRequestRecordsNothingButStillPropagates) {
  CollectingSink sink;
  Tracer tracer(&sink, *Sampler::named("parentbased_always_on", 1));
  auto trace = tracer.begin_request(
      parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"), "rid", "GET");
  EXPECT_FALSE(trace.active.recording);
  RequestSlot slot{&trace.active};
  const SlotScope scope(&slot);
  auto child = start_child_span("SELECT", SpanKind::client);
  EXPECT_FALSE(child.recording());
  const auto out = outgoing_context(child);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->trace_id.hex(), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_FALSE(out->sampled());
  trace.span.end();
  child.end();
  EXPECT_TRUE(sink.spans.empty());
}

TEST(Tracer, WithoutASinkRequestsStillGetIds) {
  Tracer tracer;
  auto trace = tracer.begin_request(std::nullopt, "rid", "GET");
  EXPECT_FALSE(trace.active.recording);
  EXPECT_TRUE(trace.active.context.trace_id.valid());
  EXPECT_TRUE(trace.active.context.span_id.valid());
}

TEST(Span, AttributesAreSetOnceAndErrorsCarryTheirDescription) {
  CollectingSink sink;
  Tracer tracer(&sink, {});
  auto trace = tracer.begin_request(std::nullopt, "rid", "GET");
  trace.span.set("http.response.status_code", 200);
  trace.span.set("http.response.status_code", 503);
  trace.span.set_error("database unavailable");
  Span moved = std::move(trace.span);
  moved.end();
  moved.end();
  ASSERT_EQ(sink.spans.size(), 1U);
  const auto& span = *sink.spans[0];
  EXPECT_EQ(span.status, SpanStatus::error);
  EXPECT_EQ(span.status_message, "database unavailable");
  int codes = 0;
  for (const auto& [key, value] : span.attributes) {
    if (key == "http.response.status_code") {
      ++codes;
      EXPECT_EQ(std::get<std::int64_t>(value), 503);
    }
  }
  EXPECT_EQ(codes, 1);
}

}  // namespace
}  // namespace authsvc::tracing
