// Redis losing its data (FLUSHALL, or a restart without persistence) resurrects no revoked token:
// checks fall back to PostgreSQL's durable record and the denylist is rebuilt from it.
#include <gtest/gtest.h>

#include <cstdlib>
#include <thread>

#include "support/api_client.hpp"
#include "support/services.hpp"
#include "support/test_app.hpp"

namespace authsvc::test {
namespace {

constexpr const char* kPassword = "flush-password-1";

void flush_redis(const std::string& url) {
  const std::string command = "redis-cli -u '" + url + "' FLUSHALL >/dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0);
}

TEST(RevocationFlushTest, AFlushedRedisResurrectsNothing) {
  AUTH_REQUIRE_POSTGRES(pg);
  AUTH_REQUIRE_REDIS(redis);
  TempDir dir;
  TestApp app(production_test_config(dir, pg, redis));
  ApiClient api(app.port());
  const auto email = ApiClient::unique_email("flush");
  api.register_user(email, kPassword);
  const auto ended = api.login_ok(email, kPassword);
  const auto rotated = api.login_ok(email, kPassword);
  const auto live = api.login_ok(email, kPassword);
  ASSERT_EQ(api.logout(ended.refresh).status, 200U);
  ASSERT_EQ(api.refresh(rotated.refresh).status, 200U);  // revokes rotated.access

  flush_redis(redis);
  for (int round = 0; round < 2; ++round) {  // before and after the denylist is rebuilt
    EXPECT_EQ(api.verify(ended.access).status, 401U) << "round " << round;
    EXPECT_EQ(api.verify(rotated.access).status, 401U) << "round " << round;
    EXPECT_EQ(api.verify(live.access).status, 200U) << "round " << round;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  const std::string check = "test \"$(redis-cli -u '" + redis + "' EXISTS auth:rv:seeded)\" = 1";
  EXPECT_EQ(std::system(check.c_str()), 0) << "the denylist was rebuilt";
}

}  // namespace
}  // namespace authsvc::test
