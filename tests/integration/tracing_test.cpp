// Tracing through the real server (SPEC 7): a request's server span continues the caller's
// traceparent, its database, Redis and hashing work are child spans carrying the request id, the
// sampler is honoured, and spans reach an OTLP/HTTP collector. Both backends.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <thread>

#include "storage/redis/redis_config.hpp"
#include "support/api_client.hpp"
#include "support/backend_modes.hpp"
#include "support/otlp_receiver.hpp"

namespace authsvc::test {
namespace {

using Spans = std::vector<boost::json::object>;

constexpr char kPassword[] = "Password-123";

std::string traceparent(const std::string& trace_id, const std::string& span_id, bool sampled) {
  return "00-" + trace_id + "-" + span_id + (sampled ? "-01" : "-00");
}

std::string hex_id(std::size_t digits) {
  static std::mt19937_64 random{std::random_device{}()};
  std::string out;
  while (out.size() < digits) out += "0123456789abcdef"[random() % 16];
  return out;
}

const boost::json::object* find_span(const Spans& spans, const std::string& name) {
  const auto it = std::find_if(spans.begin(), spans.end(), [&](const auto& span) {
    return span.at("name").as_string() == name;
  });
  return it == spans.end() ? nullptr : &*it;
}

class TracingTest : public BackendModeTest {
 protected:
  void export_to_receiver(Config& config) {
    config.otlp_traces_url = receiver_.traces_url();
    config.otel_schedule_delay = std::chrono::milliseconds(50);
  }

  // The spans of `trace_id` once its server span has arrived.
  Spans trace(const std::string& trace_id) {
    const auto done = [&](const Spans& spans) {
      for (const auto& span : spans_of_trace(spans, trace_id)) {
        if (span.at("kind").to_number<int>() == 2) return true;
      }
      return false;
    };
    return spans_of_trace(receiver_.wait_for(done), trace_id);
  }

  OtlpReceiver receiver_;  // before the app: it outlives the app's last export
};

TEST_P(TracingTest, ALoginIsOneTraceWithItsDatabaseRedisAndHashingSpans) {
  AUTH_MODE_CONFIG(mode);
  export_to_receiver(*mode);
  TestApp app(*mode);
  ApiClient api(app.port());
  const auto email = ApiClient::unique_email("traced");
  api.register_user(email, kPassword);

  const std::string trace_id = hex_id(32);
  const std::string caller_span = hex_id(16);
  HttpClient client(app.port());
  const auto login =
      client.request("POST", "/api/v1/auth/login",
                     R"({"email":")" + email + R"(","password":")" + kPassword + R"("})",
                     {{"Content-Type", "application/json"},
                      {"X-Request-Id", "rid-traced-login"},
                      {"traceparent", traceparent(trace_id, caller_span, true)}});
  ASSERT_EQ(login.status, 200U) << login.body;

  const auto spans = trace(trace_id);
  const auto* server = find_span(spans, "POST /api/v1/auth/login");
  ASSERT_NE(server, nullptr) << "spans: " << spans.size();
  EXPECT_EQ(server->at("parentSpanId").as_string(), caller_span)
      << "the caller's span is the parent";
  EXPECT_EQ(server->at("kind"), 2);
  EXPECT_EQ(server->at("service"), "auth");
  EXPECT_EQ(span_attribute(*server, "http.route"), "/api/v1/auth/login");
  EXPECT_EQ(span_attribute(*server, "http.request.method"), "POST");
  EXPECT_EQ(span_attribute(*server, "http.response.status_code"), "200");

  std::set<std::string> ids;
  for (const auto& span : spans) ids.insert(std::string(span.at("spanId").as_string()));
  bool database = false;
  bool redis = false;
  for (const auto& span : spans) {
    EXPECT_EQ(span_attribute(span, "http.request_id"), "rid-traced-login") << span.at("name");
    if (&span == server) continue;
    const std::string parent(span.at("parentSpanId").as_string());
    EXPECT_TRUE(ids.contains(parent)) << span.at("name") << " hangs off the trace";
    const auto system = span_attribute(span, "db.system");
    database |= system == (GetParam() == BackendMode::production ? "postgresql" : "sqlite");
    redis |= system == "redis";
  }
  EXPECT_TRUE(database) << "the user lookup and the session insert are spans";
  EXPECT_EQ(redis, GetParam() == BackendMode::production) << "the login throttle's Redis calls";
  const auto* hashing = find_span(spans, "password verify");
  ASSERT_NE(hashing, nullptr);
  EXPECT_EQ(hashing->at("parentSpanId"), server->at("spanId"));
  const auto* select = find_span(spans, "SELECT user");
  ASSERT_NE(select, nullptr);
  EXPECT_EQ(span_attribute(*select, "db.query.text").find(kPassword), std::string::npos);
  EXPECT_EQ(span_attribute(*select, "db.query.text").find(email), std::string::npos)
      << "statements are exported with placeholders, never with their parameters";
}

TEST_P(TracingTest, VerifyJwtIsASpanWithItsDenylistCheck) {
  AUTH_MODE_CONFIG(mode);
  export_to_receiver(*mode);
  TestApp app(*mode);
  ApiClient api(app.port());
  const auto email = ApiClient::unique_email("verify");
  api.register_user(email, kPassword);
  const auto tokens = api.login_ok(email, kPassword);

  const std::string trace_id = hex_id(32);
  HttpClient client(app.port());
  const auto verified = client.get(
      "/api/v1/auth/verify-jwt",
      {ApiClient::bearer(tokens.access), {"traceparent", traceparent(trace_id, hex_id(16), true)}});
  ASSERT_EQ(verified.status, 200U);
  const auto spans = trace(trace_id);
  ASSERT_NE(find_span(spans, "GET /api/v1/auth/verify-jwt"), nullptr);
  if (GetParam() == BackendMode::production) {
    ASSERT_NE(find_span(spans, "MGET"), nullptr) << "the denylist lookup";
    EXPECT_EQ(span_attribute(*find_span(spans, "MGET"), "server.port"),
              std::to_string(storage::parse_redis_url(mode->redis_url)->port));
  }
}

TEST_P(TracingTest, TheSamplerDecidesAndTheCallersFlagIsFollowed) {
  AUTH_MODE_CONFIG(mode);
  export_to_receiver(*mode);
  mode->otel_sampler = "parentbased_traceidratio";
  mode->otel_sampler_arg = 0.0;
  TestApp app(*mode);
  HttpClient client(app.port());
  for (int i = 0; i < 5; ++i) ASSERT_EQ(client.get("/healthz").status, 200U);
  const std::string unsampled = hex_id(32);
  ASSERT_EQ(
      client.get("/healthz", {{"traceparent", traceparent(unsampled, hex_id(16), false)}}).status,
      200U);
  const std::string sampled = hex_id(32);
  ASSERT_EQ(
      client.get("/healthz", {{"traceparent", traceparent(sampled, hex_id(16), true)}}).status,
      200U);

  const auto spans = trace(sampled);
  ASSERT_EQ(spans.size(), 1U) << "a sampled caller's trace is recorded";
  EXPECT_EQ(receiver_.spans().size(), 1U)
      << "ratio 0 records no trace that starts here, and an unsampled caller's is not recorded";
}

TEST_P(TracingTest, SpansAreCountedInMetrics) {
  AUTH_MODE_CONFIG(mode);
  export_to_receiver(*mode);
  TestApp app(*mode);
  HttpClient client(app.port());
  ASSERT_EQ(client.get("/healthz").status, 200U);
  receiver_.wait_for([](const Spans& spans) { return !spans.empty(); });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (app.application().span_counters().exported == 0 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const auto metrics = client.get("/metrics").body;
  EXPECT_NE(metrics.find("# TYPE auth_trace_spans_exported_total counter"), std::string::npos);
  EXPECT_EQ(metrics.find("auth_trace_spans_exported_total 0\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("auth_trace_spans_dropped_total{reason=\"queue_full\"} 0"),
            std::string::npos);
}

TEST_P(TracingTest, WithoutAnEndpointNothingIsExportedButLogsStillGetIds) {
  AUTH_MODE_CONFIG(mode);
  TestApp app(*mode);
  HttpClient client(app.port());
  ASSERT_EQ(
      client.get("/healthz", {{"traceparent", traceparent(hex_id(32), hex_id(16), true)}}).status,
      200U);
  EXPECT_EQ(app.application().span_counters().exported, 0U);
  EXPECT_EQ(client.get("/metrics").body.find("auth_trace_spans"), std::string::npos);
}

TEST_P(TracingTest, ProbesAnswerWithoutARequestIdWhenOneIsRequired) {
  AUTH_MODE_CONFIG(mode);
  mode->require_request_id = true;
  TestApp app(*mode);
  HttpClient client(app.port());
  EXPECT_EQ(client.get("/healthz").status, 200U);
  EXPECT_EQ(client.get("/readyz").status, 200U);
  const auto refused = client.get("/api/v1/auth/hello");
  EXPECT_EQ(refused.status, 400U);
  EXPECT_EQ(refused.json().at("message"), "request id is required");
  EXPECT_EQ(client.get("/.well-known/jwks.json").status, 400U) << "only the probes are exempt";
}

INSTANTIATE_TEST_SUITE_P(Modes, TracingTest, kBackendModes, backend_mode_name);

}  // namespace
}  // namespace authsvc::test
