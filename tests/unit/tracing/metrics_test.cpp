#include "tracing/metrics.hpp"

#include <gtest/gtest.h>

namespace authsvc::tracing {
namespace {

TEST(Metrics, CountersWithLabelsAndHelp) {
  Metrics metrics;
  metrics.describe("auth_login_failed_total", "Password logins refused, by reason.");
  metrics.add("auth_login_failed_total", {{"reason", "wrong_credentials"}});
  metrics.add("auth_login_failed_total", {{"reason", "wrong_credentials"}}, 2);
  metrics.add("auth_login_failed_total", {{"reason", "say \"hi\""}});
  const auto text = metrics.render();
  EXPECT_NE(text.find("# HELP auth_login_failed_total Password logins refused, by reason.\n"
                      "# TYPE auth_login_failed_total counter\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("auth_login_failed_total{reason=\"wrong_credentials\"} 3\n"),
            std::string::npos);
  EXPECT_NE(text.find("auth_login_failed_total{reason=\"say \\\"hi\\\"\"} 1\n"), std::string::npos);
}

TEST(Metrics, RequestsAndLatencyHistogramsPerRoute) {
  Metrics metrics;
  metrics.observe_request("/api/v1/auth/verify-jwt", "GET", 200, std::chrono::milliseconds(3));
  metrics.observe_request("/api/v1/auth/verify-jwt", "GET", 401, std::chrono::milliseconds(30));
  const auto text = metrics.render();
  EXPECT_NE(text.find("auth_http_requests_total{route=\"/api/v1/auth/verify-jwt\",method=\"GET\","
                      "status=\"200\"} 1\n"),
            std::string::npos)
      << text;
  const std::string route = "route=\"/api/v1/auth/verify-jwt\"";
  EXPECT_NE(text.find("auth_http_request_duration_seconds_bucket{" + route + ",le=\"0.005\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("auth_http_request_duration_seconds_bucket{" + route + ",le=\"0.05\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("auth_http_request_duration_seconds_bucket{" + route + ",le=\"+Inf\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("auth_http_request_duration_seconds_count{" + route + "} 2\n"),
            std::string::npos);
}

TEST(Metrics, UnknownMethodsShareOneLabelValue) {
  Metrics metrics;
  metrics.observe_request("-", "AAAA1", 404, std::chrono::milliseconds(1));
  metrics.observe_request("-", "BBBB2", 404, std::chrono::milliseconds(1));
  const auto text = metrics.render();
  EXPECT_NE(text.find("auth_http_requests_total{route=\"-\",method=\"OTHER\",status=\"404\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("AAAA1"), std::string::npos);
}

TEST(Metrics, GaugesAreReadAtScrapeTime) {
  Metrics metrics;
  double depth = 1;
  metrics.gauge("auth_hash_queue_depth", "Waiting jobs.", [&depth] { return depth; });
  EXPECT_NE(metrics.render().find("auth_hash_queue_depth 1\n"), std::string::npos);
  depth = 7;
  EXPECT_NE(metrics.render().find("auth_hash_queue_depth 7\n"), std::string::npos);
}

}  // namespace
}  // namespace authsvc::tracing
