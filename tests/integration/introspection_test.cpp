// RFC 7662 introspection over the real server in both modes: a spent refresh token is inactive,
// and each service client has a request budget of its own.
#include <gtest/gtest.h>

#include "common/ids.hpp"
#include "support/api_client.hpp"
#include "support/backend_modes.hpp"
#include "support/http_client.hpp"
#include "support/test_app.hpp"

namespace authsvc::test {
namespace {

constexpr const char* kPassword = "introspection-password-1";
constexpr const char* kForm = "application/x-www-form-urlencoded";

class IntrospectionTest : public BackendModeTest {
 protected:
  static HttpResult introspect(HttpClient& client, const std::string& token,
                               const std::string& client_id, const std::string& secret) {
    return client.request("POST", "/api/v1/auth/introspect",
                          "token=" + token + "&client_id=" + client_id + "&client_secret=" + secret,
                          {{"Content-Type", kForm}});
  }
};

TEST_P(IntrospectionTest, ARotatedRefreshTokenIsInactiveAtOnce) {
  AUTH_MODE_CONFIG(mode);
  mode->introspection_clients = {{"content", "content-secret-1"}};
  TestApp app(*mode);
  HttpClient client(app.port());
  ApiClient api(app.port());
  const auto email = ApiClient::unique_email("introspect-rotated");
  api.register_user(email, kPassword);
  const auto first = api.login_ok(email, kPassword);
  const auto live = introspect(client, first.refresh, "content", "content-secret-1");
  ASSERT_EQ(live.status, 200U) << live.body;
  EXPECT_TRUE(live.json().at("active").as_bool()) << live.body;

  const auto rotated = api.refresh(first.refresh);
  ASSERT_EQ(rotated.status, 200U) << rotated.body;
  // Within the retry grace window the spent token is still off the denylist: spent all the same.
  const auto spent = introspect(client, first.refresh, "content", "content-secret-1");
  ASSERT_EQ(spent.status, 200U) << spent.body;
  EXPECT_EQ(spent.body, R"({"active":false})");
  const auto next =
      introspect(client, ApiClient::tokens_of(rotated).refresh, "content", "content-secret-1");
  EXPECT_TRUE(next.json().at("active").as_bool()) << next.body;
}

TEST_P(IntrospectionTest, EachServiceClientHasItsOwnBudget) {
  AUTH_MODE_CONFIG(mode);
  // Ids of their own: the count lives in Redis for a minute, shared with other runs.
  const auto content = "content-" + random_hex(4);
  const auto billing = "billing-" + random_hex(4);
  mode->introspection_clients = {{content, "content-secret-1"}, {billing, "billing-secret-1"}};
  mode->introspection_limit_per_minute = 3;
  TestApp app(*mode);
  HttpClient client(app.port());
  for (int i = 0; i < 3; ++i) {
    const auto allowed = introspect(client, "garbage", content, "content-secret-1");
    ASSERT_EQ(allowed.status, 200U) << allowed.body;
    EXPECT_EQ(allowed.header("ratelimit-limit"), "3");
  }
  const auto limited = introspect(client, "garbage", content, "content-secret-1");
  EXPECT_EQ(limited.status, 429U) << limited.body;
  EXPECT_FALSE(limited.header("retry-after").empty());
  const auto other = introspect(client, "garbage", billing, "billing-secret-1");
  EXPECT_EQ(other.status, 200U) << "another client's budget is its own: " << other.body;
  // A caller claiming a client's id without its secret cannot spend that client's budget.
  const auto impostor = introspect(client, "garbage", billing, "wrong");
  EXPECT_EQ(impostor.status, 401U) << impostor.body;
  EXPECT_EQ(introspect(client, "garbage", billing, "billing-secret-1").status, 200U);
}

INSTANTIATE_TEST_SUITE_P(Modes, IntrospectionTest, kBackendModes, backend_mode_name);

}  // namespace
}  // namespace authsvc::test
