// Redis turned into a read-only replica under a running service (a demoted master after a
// failover): writes answer READONLY, reads still work. Issue 13 item 3: such an error reply is an
// outage (503 with Retry-After), never a 500, and never a wrong answer.
#include <gtest/gtest.h>

#include <cstdlib>

#include "common/ids.hpp"
#include "storage/redis/redis_config.hpp"
#include "support/api_client.hpp"
#include "support/services.hpp"
#include "support/test_app.hpp"

namespace authsvc::test {
namespace {

constexpr const char* kPassword = "readonly-password-1";

// REPLICAOF through redis-cli against the test Redis.
void replica_of(const std::string& redis, const std::string& target) {
  const auto config = storage::parse_redis_url(redis);
  ASSERT_TRUE(config);
  const std::string command = "redis-cli -h " + config->host + " -p " +
                              std::to_string(config->port) + " REPLICAOF " + target + " >/dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
}

class RedisReadOnlyTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (!redis_.empty()) replica_of(redis_, "NO ONE");
  }
  // The service on the test servers, with Redis keys of its own.
  static Config config_for(const TempDir& dir, const std::string& pg, const std::string& redis) {
    auto config = production_test_config(dir, pg, redis);
    config.redis_key_prefix = "readonly-" + random_hex(4) + ":";
    return config;
  }
  // A new account on `api` and its first pair.
  static TokenPairStrings signed_in(ApiClient& api, const std::string& label) {
    const auto email = ApiClient::unique_email(label);
    api.register_user(email, kPassword);
    return api.login_ok(email, kPassword);
  }
  // A master that does not exist: the data stays, writes fail (undone in TearDown).
  void make_read_only(const std::string& redis) {
    redis_ = redis;
    replica_of(redis, "127.0.0.1 1");
  }
  void make_writable() {
    replica_of(redis_, "NO ONE");
    redis_.clear();
  }
  std::string redis_;
};

TEST_F(RedisReadOnlyTest, WritesRefusedAsReadOnlyAre503AndNothingIsLost) {
  AUTH_REQUIRE_POSTGRES(pg);
  AUTH_REQUIRE_REDIS(redis);
  TempDir dir;
  TestApp app(config_for(dir, pg, redis));
  ApiClient api(app.port());
  const auto email = ApiClient::unique_email("readonly");
  api.register_user(email, kPassword);
  const auto live = api.login_ok(email, kPassword);
  const auto leaving = api.login_ok(email, kPassword);

  make_read_only(redis);
  const auto logout = api.logout(leaving.refresh);
  EXPECT_EQ(logout.status, 503U) << logout.body;
  EXPECT_FALSE(logout.header("retry-after").empty()) << "an outage says when to retry";
  const auto still = api.verify(live.access);
  EXPECT_EQ(still.status, 200U) << "reads still answer: " << still.body;
  const auto ended = api.verify(leaving.access);
  EXPECT_NE(ended.status, 200U) << "the session ended in the database: " << ended.body;
  EXPECT_NE(ended.status, 500U) << ended.body;

  make_writable();
  EXPECT_EQ(api.verify(leaving.access).status, 401U) << "still refused once Redis writes again";
  const auto again = api.logout(live.refresh);
  EXPECT_EQ(again.status, 200U) << again.body;
  EXPECT_EQ(api.verify(live.access).status, 401U);
}

// Issue 13 item 2: once the rotation has committed, the pair is delivered even though the denylist
// cannot be written; the old access token is refused (the database answers) and the new pair works
// during and after the outage. A 503 here would make the client's later retry a "reuse" that ends
// the session.
TEST_F(RedisReadOnlyTest, ARotationDuringTheOutageDeliversItsPairAndEndsNoSession) {
  AUTH_REQUIRE_POSTGRES(pg);
  AUTH_REQUIRE_REDIS(redis);
  TempDir dir;
  TestApp app(config_for(dir, pg, redis));
  ApiClient api(app.port());
  const auto first = signed_in(api, "readonly-rotate");

  make_read_only(redis);
  const auto rotated = api.refresh(first.refresh);
  ASSERT_EQ(rotated.status, 200U) << "the rotation committed: " << rotated.body;
  const auto second = ApiClient::tokens_of(rotated);
  EXPECT_EQ(api.verify(second.access).status, 200U);
  const auto old_access = api.verify(first.access);
  EXPECT_EQ(old_access.status, 401U) << "revoked by the rotation: " << old_access.body;

  make_writable();
  EXPECT_EQ(api.verify(first.access).status, 401U) << "still refused once Redis writes again";
  const auto next = api.refresh(second.refresh);
  ASSERT_EQ(next.status, 200U) << "the session lives on: " << next.body;
  EXPECT_EQ(api.verify(ApiClient::tokens_of(next).access).status, 200U);
}

}  // namespace
}  // namespace authsvc::test
