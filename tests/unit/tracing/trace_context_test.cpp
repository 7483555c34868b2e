#include "tracing/trace_context.hpp"

#include <gtest/gtest.h>

#include <set>

namespace authsvc::tracing {
namespace {

// The example of W3C Trace Context, section 3.2.
constexpr std::string_view kExample = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

TEST(TraceContext, ParsesAndFormatsTheSpecificationsExample) {
  const auto context = parse_traceparent(kExample);
  ASSERT_TRUE(context);
  EXPECT_EQ(context->trace_id.hex(), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(context->span_id.hex(), "00f067aa0ba902b7");
  EXPECT_TRUE(context->sampled());
  EXPECT_EQ(format_traceparent(*context), kExample);
}

TEST(TraceContext, RefusesWhatTheSpecificationCallsInvalid) {
  for (const std::string_view bad : {
           "",
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0",    // short
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-",  // v00 with more
           "00-00000000000000000000000000000000-00f067aa0ba902b7-01",   // zero trace id
           "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",   // zero span id
           "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",   // upper case
           "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",   // version ff
           "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",   // separator
           "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",   // not hex
       }) {
    EXPECT_FALSE(parse_traceparent(bad)) << bad;
  }
}

TEST(TraceContext, AcceptsLaterVersionsWithMoreFields) {
  const auto context =
      parse_traceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-extra");
  ASSERT_TRUE(context);
  EXPECT_FALSE(context->sampled());
  EXPECT_FALSE(parse_traceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00x"));
}

TEST(TraceContext, RandomIdsAreValidAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const auto trace = random_trace_id();
    const auto span = random_span_id();
    ASSERT_TRUE(trace.valid() && span.valid());
    seen.insert(trace.hex());
  }
  EXPECT_EQ(seen.size(), 1000U);
}

TEST(TraceContext, TracestateIsPassedOnOnlyWhenSane) {
  EXPECT_EQ(sanitize_tracestate("congo=t61rcWkgMzE,rojo=00f067aa0ba902b7"),
            "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
  EXPECT_EQ(sanitize_tracestate(std::string(513, 'a')), "");
  EXPECT_EQ(sanitize_tracestate("a=b\r\nX-Injected: 1"), "");
}

TEST(TraceContext, TraceIdsFromHex) {
  EXPECT_EQ(trace_id_from_hex("4bf92f3577b34da6a3ce929d0e0e4736")->hex(),
            "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_FALSE(trace_id_from_hex("00000000000000000000000000000000"));
  EXPECT_FALSE(trace_id_from_hex("4bf92f35"));
}

}  // namespace
}  // namespace authsvc::tracing
