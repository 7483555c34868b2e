// Redis stopped under a running service (SPEC R4 and 4): the rate limiter fails open, revocation
// fails closed (PostgreSQL answers checks; a revocation that cannot reach the shared denylist is a
// 503), and everything recovers when Redis returns.
#include <gtest/gtest.h>

#include <thread>

#include "common/ids.hpp"
#include "support/api_client.hpp"
#include "support/services.hpp"
#include "support/test_app.hpp"

namespace authsvc::test {
namespace {

constexpr const char* kPassword = "outage-password-1";

class RedisOutageTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (stopped_) services_command("start-redis");
  }
  void stop_redis() {
    services_command("stop-redis");
    stopped_ = true;
  }
  void start_redis() {
    services_command("start-redis");
    stopped_ = false;
  }
  bool stopped_ = false;
};

TEST_F(RedisOutageTest, LimiterOpenRevocationClosedAndRecovery) {
  AUTH_REQUIRE_POSTGRES(pg);
  AUTH_REQUIRE_REDIS(redis);
  TempDir dir;
  auto config = production_test_config(dir, pg, redis);
  config.request_limit_per_minute = 30;
  config.redis_key_prefix = "outage-" + random_hex(4) + ":";  // counters of its own
  config.redis_timeout = std::chrono::milliseconds(300);
  TestApp app(config);
  ApiClient api(app.port());
  const auto email = ApiClient::unique_email("outage");
  api.register_user(email, kPassword);
  const auto ended = api.login_ok(email, kPassword);
  const auto live = api.login_ok(email, kPassword);
  std::vector<TokenPairStrings> spares;
  for (int i = 0; i < 3; ++i) spares.push_back(api.login_ok(email, kPassword));
  ASSERT_EQ(api.logout(ended.refresh).status, 200U);

  stop_redis();
  // Limiter open: well past the limit of 30, and nothing is 429.
  for (int i = 0; i < 40; ++i) {
    const auto answer = api.verify(live.access);
    ASSERT_EQ(answer.status, 200U) << "request " << i << ": " << answer.body;
  }
  // Revocation closed: the ended session stays refused (from PostgreSQL) ...
  const auto refused = api.verify(ended.access);
  EXPECT_EQ(refused.status, 401U);
  EXPECT_EQ(refused.json().at("msg"), "Token has been revoked");
  // ... and a new revocation that cannot reach the shared denylist is a retryable 503, not a 2xx.
  const auto logout = api.logout(live.refresh);
  EXPECT_EQ(logout.status, 503U) << logout.body;

  start_redis();
  // Recovery: every Redis client reconnects within its backoff (at most 1 s). A logout that got
  // 503 has ended its session in the database already, so recovery is shown with another one.
  unsigned status = 0;
  for (int attempt = 0; attempt < 50 && status != 200; ++attempt) {
    status = HttpClient(app.port()).get("/readyz").status;
    if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(status, 200U) << "readyz sees Redis again";
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  status = api.logout(spares[0].refresh).status;
  EXPECT_EQ(status, 200U) << "logout works again once Redis is back";
  EXPECT_EQ(api.verify(spares[0].access).status, 401U);
  EXPECT_EQ(api.verify(live.access).status, 401U) << "the session ended during the outage";
  EXPECT_EQ(api.verify(ended.access).status, 401U);
  // The limiter counts again.
  unsigned last = 0;
  for (int i = 0; i < 40; ++i) last = api.verify(spares[1].access).status;
  EXPECT_EQ(last, 429U);
}

}  // namespace
}  // namespace authsvc::test
