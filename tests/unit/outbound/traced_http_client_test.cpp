#include "outbound/traced_http_client.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "support/async.hpp"
#include "tracing/request_scope.hpp"

namespace authsvc::outbound {
namespace {

class Recorder final : public HttpClient {
 public:
  explicit Recorder(std::vector<OutboundRequest>& seen, unsigned status)
      : seen_(seen), status_(status) {}
  boost::asio::awaitable<Result<OutboundResponse>> send(OutboundRequest request) override {
    seen_.push_back(std::move(request));
    OutboundResponse response;
    response.status = status_;
    co_return response;
  }

 private:
  std::vector<OutboundRequest>& seen_;
  unsigned status_;
};

class Sink final : public tracing::SpanSink {
 public:
  void submit(std::unique_ptr<tracing::SpanData> span) noexcept override {
    spans.push_back(std::move(span));
  }
  std::vector<std::unique_ptr<tracing::SpanData>> spans;
};

std::string header(const OutboundRequest& request, std::string_view name) {
  for (const auto& [key, value] : request.headers) {
    if (key == name) return value;
  }
  return "<none>";
}

std::string attribute(const tracing::SpanData& span, std::string_view key) {
  for (const auto& [name, value] : span.attributes) {
    if (name != key) continue;
    if (const auto* text = std::get_if<std::string>(&value)) return *text;
    return std::to_string(std::get<std::int64_t>(value));
  }
  return "<none>";
}

OutboundRequest token_call() {
  OutboundRequest request;
  request.method = "POST";
  request.url = "https://oauth.example:8443/token?code=secret-code&x=1";
  request.headers = {{"traceparent", "00-forged-by-caller"}};
  return request;
}

TEST(TracedHttpClient, ACallOfASampledRequestIsAClientSpanNamedInItsTraceparent) {
  std::vector<OutboundRequest> seen;
  Sink sink;
  tracing::Tracer tracer(&sink, {});
  auto trace = tracer.begin_request(std::nullopt, "rid-7", "GET");
  tracing::RequestSlot slot{&trace.active};
  const tracing::SlotScope scope(&slot);
  boost::asio::io_context io;
  TracedHttpClient client(std::make_unique<Recorder>(seen, 401));
  ASSERT_TRUE(test::run_sync(io, client.send(token_call())));

  ASSERT_EQ(seen.size(), 1U);
  ASSERT_EQ(sink.spans.size(), 1U);
  const auto& span = *sink.spans[0];
  EXPECT_EQ(span.kind, tracing::SpanKind::client);
  EXPECT_EQ(span.parent_span_id, trace.active.context.span_id);
  const auto sent = tracing::parse_traceparent(header(seen[0], "traceparent"));
  ASSERT_TRUE(sent) << "exactly one well-formed traceparent, the caller's own is replaced";
  EXPECT_EQ(sent->span_id, span.span_id);
  EXPECT_EQ(sent->trace_id, trace.active.context.trace_id);
  EXPECT_EQ(attribute(span, "url.full"), "https://oauth.example:8443/token") << "no query";
  EXPECT_EQ(attribute(span, "server.address"), "oauth.example");
  EXPECT_EQ(attribute(span, "server.port"), "8443");
  EXPECT_EQ(attribute(span, "http.response.status_code"), "401");
  EXPECT_EQ(span.status, tracing::SpanStatus::error);
  EXPECT_EQ(attribute(span, "http.request_id"), "rid-7");
}

TEST(TracedHttpClient, OutsideARequestTheCallIsPassedOnUntouched) {
  std::vector<OutboundRequest> seen;
  boost::asio::io_context io;
  TracedHttpClient client(std::make_unique<Recorder>(seen, 200));
  ASSERT_TRUE(test::run_sync(io, client.send(token_call())));
  ASSERT_EQ(seen.size(), 1U);
  EXPECT_EQ(header(seen[0], "traceparent"), "00-forged-by-caller");
}

}  // namespace
}  // namespace authsvc::outbound
