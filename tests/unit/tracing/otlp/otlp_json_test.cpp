#include "tracing/otlp/otlp_json.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace authsvc::tracing {
namespace {

std::unique_ptr<SpanData> server_span() {
  auto span = std::make_unique<SpanData>();
  span->trace_id = *trace_id_from_hex("4bf92f3577b34da6a3ce929d0e0e4736");
  span->span_id.bytes = {0x00, 0xf0, 0x67, 0xaa, 0x0b, 0xa9, 0x02, 0xb7};
  span->name = "GET /api/v1/auth/verify-jwt";
  span->kind = SpanKind::server;
  span->start_unix_nanos = 1718000000000000000;
  span->end_unix_nanos = 1718000001200000000;
  span->attributes = {{"http.request.method", std::string("GET")},
                      {"http.response.status_code", std::int64_t{503}},
                      {"cached", true},
                      {"ratio", 0.25}};
  span->status = SpanStatus::error;
  span->status_message = "HTTP 503";
  return span;
}

TEST(OtlpJson, FollowsTheOtlpJsonEncoding) {
  std::vector<std::unique_ptr<SpanData>> spans;
  spans.push_back(server_span());
  auto child = std::make_unique<SpanData>(*spans[0]);
  child->span_id.bytes[7] = 0x01;
  child->parent_span_id = spans[0]->span_id;
  child->kind = SpanKind::client;
  child->status = SpanStatus::unset;
  spans.push_back(std::move(child));

  const auto body = boost::json::parse(encode_otlp_json(spans, {"auth", "0.1.0", "abc"}));
  const auto& resource_spans = body.at("resourceSpans").as_array().at(0);
  const auto& attributes = resource_spans.at("resource").at("attributes").as_array();
  EXPECT_EQ(attributes.at(0).at("key"), "service.name");
  EXPECT_EQ(attributes.at(0).at("value").at("stringValue"), "auth");
  const auto& scope_spans = resource_spans.at("scopeSpans").as_array().at(0);
  EXPECT_EQ(scope_spans.at("scope").at("version"), "0.1.0");
  const auto& exported = scope_spans.at("spans").as_array();
  ASSERT_EQ(exported.size(), 2U);

  const auto& server = exported.at(0).as_object();
  EXPECT_EQ(server.at("traceId"), "4bf92f3577b34da6a3ce929d0e0e4736") << "hex, not base64";
  EXPECT_EQ(server.at("spanId"), "00f067aa0ba902b7");
  EXPECT_FALSE(server.contains("parentSpanId")) << "a root span has none";
  EXPECT_EQ(server.at("kind"), 2);
  EXPECT_EQ(server.at("startTimeUnixNano"), "1718000000000000000") << "64-bit as a string";
  EXPECT_EQ(server.at("status").at("code"), 2);
  EXPECT_EQ(server.at("status").at("message"), "HTTP 503");
  const auto& values = server.at("attributes").as_array();
  EXPECT_EQ(values.at(1).at("value").at("intValue"), "503");
  EXPECT_EQ(values.at(2).at("value").at("boolValue"), true);
  EXPECT_EQ(values.at(3).at("value").at("doubleValue"), 0.25);

  const auto& client = exported.at(1).as_object();
  EXPECT_EQ(client.at("parentSpanId"), "00f067aa0ba902b7");
  EXPECT_EQ(client.at("kind"), 3);
  EXPECT_FALSE(client.contains("status")) << "unset status is left out";
}

TEST(OtlpJson, AnyTextBecomesValidJson) {
  std::vector<std::unique_ptr<SpanData>> spans;
  spans.push_back(server_span());
  spans[0]->name = "quote \" backslash \\ newline \n nul " + std::string(1, '\0') + " end";
  spans[0]->attributes = {{"user_agent.original", std::string("bad \xff\xfe utf8 \xc3\xa9 ok")}};
  const std::string body = encode_otlp_json(spans, {"auth", "", ""});
  boost::system::error_code ec;
  const auto parsed = boost::json::parse(body, ec);
  ASSERT_FALSE(ec) << body;
  const auto& span = parsed.at("resourceSpans").at(0).at("scopeSpans").at(0).at("spans").at(0);
  EXPECT_EQ(span.at("name").as_string(), spans[0]->name);
  EXPECT_EQ(span.at("attributes").at(0).at("value").at("stringValue"),
            "bad \xef\xbf\xbd\xef\xbf\xbd utf8 \xc3\xa9 ok");
}

}  // namespace
}  // namespace authsvc::tracing
