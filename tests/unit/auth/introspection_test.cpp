// auth::Introspection (RFC 7662) over in-memory SQLite with a fake clock: active only when a
// resource server could use the token now, with the account's current roles.
#include "auth/introspection.hpp"

#include <gtest/gtest.h>

#include "auth_world.hpp"

namespace authsvc::auth {
namespace {

using test::AuthWorld;

class IntrospectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    user_id = world.user("introspected@example.com");
    opened = world.login("introspected@example.com");
  }
  std::optional<ActiveToken> introspect(const std::string& token) {
    auto answer = world.run(world.introspection->introspect(token));
    AuthWorld::must(answer, "introspect");
    return *answer;
  }

  AuthWorld world;
  std::string user_id;
  OpenedSession opened;
};

TEST_F(IntrospectionTest, LiveTokensAreActive) {
  const auto access = introspect(opened.tokens.access_token);
  ASSERT_TRUE(access);
  EXPECT_EQ(access->claims.sub, user_id);
  EXPECT_TRUE(introspect(opened.tokens.refresh_token));
  EXPECT_FALSE(introspect("garbage"));
}

TEST_F(IntrospectionTest, RolesAreTheAccountsCurrentOnes) {
  auto role = world.run(world.roles.create("editor", std::nullopt));
  ASSERT_TRUE(role.ok()) << role.error().describe();
  ASSERT_TRUE(world.run(world.roles.assign(user_id, role->id)).ok());
  const auto granted = introspect(opened.tokens.access_token);
  ASSERT_TRUE(granted);
  EXPECT_TRUE(granted->claims.roles.empty()) << "the token was issued before the grant";
  EXPECT_EQ(granted->user.roles, std::vector<std::string>{"editor"});

  ASSERT_TRUE(world.run(world.roles.unassign(user_id, role->id)).ok());
  const auto taken = introspect(opened.tokens.access_token);
  ASSERT_TRUE(taken);
  EXPECT_TRUE(taken->user.roles.empty()) << "a role taken away is not reported";
}

TEST_F(IntrospectionTest, ARotatedRefreshTokenIsInactiveEvenInsideTheGraceWindow) {
  auto rotated = world.run(world.sessions->refresh(world.claims(opened.tokens.refresh_token)));
  ASSERT_TRUE(rotated.ok()) << rotated.error().describe();
  // Not on the denylist (a retry within the grace window still gets the same pair), but spent.
  EXPECT_FALSE(introspect(opened.tokens.refresh_token));
  EXPECT_FALSE(introspect(opened.tokens.access_token)) << "its paired access token is revoked";
  EXPECT_TRUE(introspect(rotated->refresh_token));
  EXPECT_TRUE(introspect(rotated->access_token));
}

TEST_F(IntrospectionTest, EndedSessionsAndExpiredTokensAreInactive) {
  auto logged_out = world.run(world.sessions->logout(world.claims(opened.tokens.refresh_token)));
  ASSERT_TRUE(logged_out.ok()) << logged_out.error().describe();
  EXPECT_FALSE(introspect(opened.tokens.refresh_token));
  EXPECT_FALSE(introspect(opened.tokens.access_token));

  const auto fresh = world.login("introspected@example.com");
  world.clock.advance(std::chrono::hours(2));  // past the access token's hour
  EXPECT_FALSE(introspect(fresh.tokens.access_token));
  EXPECT_TRUE(introspect(fresh.tokens.refresh_token));
}

}  // namespace
}  // namespace authsvc::auth
