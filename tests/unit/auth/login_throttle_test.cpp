// auth::LoginThrottle over the in-process store with a fake clock: the lockout window.
#include "auth/login_throttle.hpp"

#include <gtest/gtest.h>

#include "auth_world.hpp"

namespace authsvc::auth {
namespace {

using test::AuthWorld;

TEST(LoginThrottle, LocksAfterTheLimitUntilTheWindowEnds) {
  AuthWorld world;
  const std::string email = "victim@example.com";
  for (std::int64_t i = 0; i < AuthWorld::kMaxFailures; ++i) {
    EXPECT_FALSE(world.run(world.throttle.locked(email))) << "failure " << i;
    world.run(world.throttle.failed(email));
  }
  const auto locked = world.run(world.throttle.locked(email));
  ASSERT_TRUE(locked);
  EXPECT_EQ(*locked, AuthWorld::kFailureWindow);
  EXPECT_FALSE(world.run(world.throttle.locked("someone.else@example.com")));

  world.clock.advance(AuthWorld::kFailureWindow - std::chrono::seconds(1));
  EXPECT_TRUE(world.run(world.throttle.locked(email))) << "still inside the window";
  world.clock.advance(std::chrono::seconds(2));
  EXPECT_FALSE(world.run(world.throttle.locked(email))) << "the window ended";
}

TEST(LoginThrottle, ASuccessResetsTheCount) {
  AuthWorld world;
  const std::string email = "forgetful@example.com";
  for (std::int64_t i = 0; i + 1 < AuthWorld::kMaxFailures; ++i)
    world.run(world.throttle.failed(email));
  world.run(world.throttle.succeeded(email));
  world.run(world.throttle.failed(email));
  EXPECT_FALSE(world.run(world.throttle.locked(email)));
}

TEST(LoginThrottle, TheStoreNeverHoldsTheAddress) {
  AuthWorld world;
  const auto before = world.store.size();
  world.run(world.throttle.failed("private@example.com"));
  std::vector<std::string> keys{"auth:bf:private@example.com"};
  auto plain = world.run(world.store.get_many(std::move(keys)));
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain->front());
  EXPECT_EQ(world.store.size(), before + 1) << "one hashed key";
}

}  // namespace
}  // namespace authsvc::auth
