// auth::LoginThrottle over the in-process store with a fake clock: per (account, client) and
// per-account counts, the window, the progressive delay, the in-process fallback.
#include "auth/login_throttle.hpp"

#include <gtest/gtest.h>

#include "auth_world.hpp"
#include "fakes/failing_store.hpp"

namespace authsvc::auth {
namespace {

using test::AuthWorld;

constexpr const char* kAttacker = "203.0.113.7";
constexpr const char* kOwner = "198.51.100.2";

TEST(LoginThrottle, RefusesTheFailingClientUntilTheWindowEnds) {
  AuthWorld world;
  const std::string email = "victim@example.com";
  for (std::int64_t i = 0; i < AuthWorld::kMaxFailures; ++i) {
    EXPECT_FALSE(world.run(world.throttle.check(email, kAttacker)).refused) << "failure " << i;
    world.run(world.throttle.failed(email, kAttacker));
  }
  const auto refused = world.run(world.throttle.check(email, kAttacker)).refused;
  ASSERT_TRUE(refused);
  EXPECT_EQ(*refused, AuthWorld::kFailureWindow);
  EXPECT_FALSE(world.run(world.throttle.check(email, kOwner)).refused) << "another client";
  EXPECT_FALSE(world.run(world.throttle.check("someone.else@example.com", kAttacker)).refused);

  world.clock.advance(AuthWorld::kFailureWindow - std::chrono::seconds(1));
  EXPECT_TRUE(world.run(world.throttle.check(email, kAttacker)).refused) << "inside the window";
  world.clock.advance(std::chrono::seconds(2));
  EXPECT_FALSE(world.run(world.throttle.check(email, kAttacker)).refused) << "the window ended";
}

TEST(LoginThrottle, AboveTheAccountsCeilingOnlyCleanClientsMayTry) {
  AuthWorld world;
  const std::string email = "popular@example.com";
  for (int i = 0; i < AuthWorld::kAccountMaxFailures; ++i) {
    world.run(world.throttle.failed(email, "192.0.2." + std::to_string(i)));
  }
  EXPECT_TRUE(world.run(world.throttle.check(email, "192.0.2.0")).refused);
  EXPECT_FALSE(world.run(world.throttle.check(email, kOwner)).refused);
}

TEST(LoginThrottle, ASuccessClearsTheClientsCountOnly) {
  AuthWorld world;
  const std::string email = "forgetful@example.com";
  for (std::int64_t i = 0; i + 1 < AuthWorld::kMaxFailures; ++i) {
    world.run(world.throttle.failed(email, kOwner));
  }
  world.run(world.throttle.succeeded(email, kOwner));
  world.run(world.throttle.failed(email, kOwner));
  EXPECT_FALSE(world.run(world.throttle.check(email, kOwner)).refused);
}

TEST(LoginThrottle, SlowsDownProgressively) {
  AuthWorld world;
  LoginThrottleOptions options;
  options.max_failures = 10;
  options.delay_base = std::chrono::milliseconds(100);
  options.delay_max = std::chrono::milliseconds(350);
  LoginThrottle throttle(world.store, world.throttle_fallback, options);
  std::vector<std::int64_t> delays;
  for (int i = 0; i < 9; ++i) {
    delays.push_back(world.run(throttle.check("slow@example.com", kAttacker)).delay.count());
    world.run(throttle.failed("slow@example.com", kAttacker));
  }
  EXPECT_EQ(delays, (std::vector<std::int64_t>{0, 0, 0, 0, 0, 0, 100, 200, 350}));
  EXPECT_EQ(world.run(throttle.check("slow@example.com", kOwner)).delay.count(), 0);
}

// A store that cannot answer (Redis down): counts go to the in-process fallback, not nowhere.
TEST(LoginThrottle, CountsInProcessWhileTheStoreIsDown) {
  AuthWorld world;
  test::FailingStore down(world.store, /*reads_work=*/false);
  LoginThrottle throttle(
      down, world.throttle_fallback,
      LoginThrottleOptions{3, 100, std::chrono::seconds(60), std::chrono::milliseconds(0),
                           std::chrono::milliseconds(0)});
  for (int i = 0; i < 3; ++i) world.run(throttle.failed("target@example.com", kAttacker));
  EXPECT_TRUE(world.run(throttle.check("target@example.com", kAttacker)).refused)
      << "not fail-open";
}

TEST(LoginThrottle, TheStoreNeverHoldsTheAddress) {
  AuthWorld world;
  const auto before = world.store.size();
  world.run(world.throttle.failed("private@example.com", kAttacker));
  EXPECT_EQ(world.store.size(), before + 2) << "one hashed key per client and per account";
  std::vector<std::string> keys{"auth:bf:a:private@example.com"};
  auto plain = world.run(world.store.get_many(std::move(keys)));
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain->front());
}

}  // namespace
}  // namespace authsvc::auth
