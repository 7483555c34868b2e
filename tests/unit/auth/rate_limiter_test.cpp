// auth::RateLimiter over the in-process store with a fake clock: the per-minute window.
#include "auth/rate_limiter.hpp"

#include <gtest/gtest.h>

#include "auth_world.hpp"

namespace authsvc::auth {
namespace {

using test::AuthWorld;

TEST(RateLimiter, CountsPerCallerWithinTheMinute) {
  AuthWorld world;  // limit 5
  for (int i = 1; i <= 5; ++i) {
    const auto decision = world.run(world.limiter.check("ip:10.0.0.1"));
    EXPECT_TRUE(decision.allowed) << i;
    EXPECT_EQ(decision.remaining, 5 - i);
    EXPECT_EQ(decision.limit, 5);
    EXPECT_EQ(decision.reset, std::chrono::seconds(60));
  }
  world.clock.advance(std::chrono::seconds(20));
  const auto over = world.run(world.limiter.check("ip:10.0.0.1"));
  EXPECT_FALSE(over.allowed);
  EXPECT_EQ(over.remaining, 0);
  EXPECT_EQ(over.reset, std::chrono::seconds(40));
  EXPECT_TRUE(world.run(world.limiter.check("sub:someone")).allowed) << "another caller";

  world.clock.advance(std::chrono::seconds(41));
  const auto next_window = world.run(world.limiter.check("ip:10.0.0.1"));
  EXPECT_TRUE(next_window.allowed);
  EXPECT_EQ(next_window.remaining, 4);
}

}  // namespace
}  // namespace authsvc::auth
