// auth::Sessions over in-memory SQLite with a fake clock: refresh rotation (first use wins, a
// retry within the grace window gets the same pair, a reuse after it ends the session as theft),
// logout and ending sessions.
#include "auth/sessions.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>

#include "auth_world.hpp"
#include "common/ids.hpp"
#include "tokens/token_errc.hpp"

namespace authsvc::auth {
namespace {

using test::AuthWorld;

class SessionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    world.user("rotation@example.com");
    opened = world.login("rotation@example.com");
    refresh = world.claims(opened.tokens.refresh_token);
  }
  bool revoked(const tokens::TokenClaims& claims) {
    auto answer = world.run(world.authenticator->is_revoked(claims));
    AuthWorld::must(answer, "is_revoked");
    return *answer;
  }

  AuthWorld world;
  OpenedSession opened;
  tokens::TokenClaims refresh;
};

TEST_F(SessionsTest, FirstUseWinsAndConcurrentUsesGetTheSamePair) {
  // Both refreshes start before either finishes: one rotates, the other waits for its pair.
  auto first =
      boost::asio::co_spawn(world.io, world.sessions->refresh(refresh), boost::asio::use_future);
  auto second =
      boost::asio::co_spawn(world.io, world.sessions->refresh(refresh), boost::asio::use_future);
  world.io.restart();
  while (first.wait_for(std::chrono::seconds(0)) != std::future_status::ready ||
         second.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
    world.io.run_one_for(std::chrono::milliseconds(20));
  }
  auto a = first.get();
  auto b = second.get();
  ASSERT_TRUE(a.ok()) << a.error().describe();
  ASSERT_TRUE(b.ok()) << b.error().describe();
  EXPECT_EQ(a->refresh_token, b->refresh_token);
  EXPECT_EQ(a->access_token, b->access_token);
  EXPECT_NE(a->refresh_token, opened.tokens.refresh_token);

  auto row = world.run(world.session_rows.find(opened.id));
  ASSERT_TRUE(row.ok() && row->has_value());
  EXPECT_EQ((*row)->refresh_jti, world.claims(a->refresh_token).jti) << "exactly one rotation";
  EXPECT_EQ((*row)->previous_refresh_jti, refresh.jti);
  // The old pair's access token is revoked; the new one is not.
  EXPECT_TRUE(revoked(world.claims(opened.tokens.access_token)));
  EXPECT_FALSE(revoked(world.claims(a->access_token)));
}

TEST_F(SessionsTest, RetryWithinTheGraceWindowGetsTheSamePair) {
  auto rotated = world.run(world.sessions->refresh(refresh));
  ASSERT_TRUE(rotated.ok()) << rotated.error().describe();
  world.clock.advance(AuthWorld::kGrace - std::chrono::seconds(1));
  auto retried = world.run(world.sessions->refresh(refresh));
  ASSERT_TRUE(retried.ok()) << retried.error().describe();
  EXPECT_EQ(retried->refresh_token, rotated->refresh_token);
  EXPECT_EQ(world.reuses, 0);
  auto live = world.run(world.sessions->list(refresh.sub));
  ASSERT_TRUE(live.ok());
  EXPECT_EQ(live->size(), 1u);
}

// A rotation that committed but whose pair never reached anyone (its request failed after the
// commit, or its statement reached the database late): a retry within the grace window gets a pair
// for the session's current refresh token instead of being told the token was revoked.
TEST_F(SessionsTest, ARetryGetsAPairForARotationWhosePairWasLost) {
  storage::SessionRepository::Rotation lost;
  lost.session_id = opened.id;
  lost.old_jti = refresh.jti;
  lost.new_jti = new_uuid();
  lost.now = world.clock.now();
  lost.new_expires_at = world.clock.now() + std::chrono::hours(24);
  lost.revoked_access_jti = refresh.at;
  lost.access_expires_at = world.clock.now() + std::chrono::hours(1);
  const auto successor_jti = lost.new_jti;
  auto swapped = world.run(world.session_rows.rotate(std::move(lost)));
  ASSERT_TRUE(swapped.ok() && *swapped);

  world.clock.advance(std::chrono::seconds(2));
  auto retried = world.run(world.sessions->refresh(refresh));
  ASSERT_TRUE(retried.ok()) << retried.error().describe();
  EXPECT_EQ(world.claims(retried->refresh_token).jti, successor_jti);
  EXPECT_EQ(world.reuses, 0);
  auto again = world.run(world.sessions->refresh(refresh));
  ASSERT_TRUE(again.ok()) << again.error().describe();
  EXPECT_EQ(again->refresh_token, retried->refresh_token) << "concurrent retries share one pair";
  auto next = world.run(world.sessions->refresh(world.claims(retried->refresh_token)));
  EXPECT_TRUE(next.ok()) << "the session lives on";
}

TEST_F(SessionsTest, ReuseAfterTheGraceWindowEndsTheSessionAndIsAudited) {
  auto rotated = world.run(world.sessions->refresh(refresh));
  ASSERT_TRUE(rotated.ok()) << rotated.error().describe();
  const auto successor = world.claims(rotated->refresh_token);
  world.clock.advance(AuthWorld::kGrace + std::chrono::seconds(1));

  auto reused = world.run(world.sessions->refresh(refresh));
  ASSERT_FALSE(reused.ok());
  EXPECT_TRUE(reused.error().is(tokens::TokenErrc::revoked));
  EXPECT_EQ(world.reuses, 1);
  // The whole family ends: the successor (the thief's or the user's) is refused too.
  EXPECT_TRUE(revoked(successor));
  auto live = world.run(world.sessions->list(refresh.sub));
  ASSERT_TRUE(live.ok());
  EXPECT_TRUE(live->empty());
  auto audit = world.run(world.db.execute("SELECT kind, session_id FROM audit_event"));
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_EQ(audit->at(0, 0), "refresh_token_reuse");
  EXPECT_EQ(audit->at(0, 1), opened.id);
}

// The paired access token's revocation lasts as long as that token (its exp, named by the refresh
// token's at_exp), not as long as the access lifetime configured today: a token issued while the
// lifetime was 3 hours stays refused for 3 hours after a rotation under a 1-hour configuration.
TEST_F(SessionsTest, RotationRevokesThePairedAccessTokenUntilItsOwnExpiry) {
  auto issued_longer = refresh;
  issued_longer.at_exp = *refresh.iat + 3 * 3600;
  auto rotated = world.run(world.sessions->refresh(issued_longer));
  ASSERT_TRUE(rotated.ok()) << rotated.error().describe();
  auto paired = world.claims(opened.tokens.access_token);
  world.clock.advance(std::chrono::hours(2));
  EXPECT_TRUE(revoked(paired));
}

TEST_F(SessionsTest, LogoutRevokesEveryTokenOfTheSession) {
  ASSERT_TRUE(world.run(world.sessions->logout(refresh)).ok());
  EXPECT_TRUE(revoked(refresh));
  EXPECT_TRUE(revoked(world.claims(opened.tokens.access_token)));
  auto again = world.run(world.sessions->refresh(refresh));
  EXPECT_FALSE(again.ok());
}

TEST_F(SessionsTest, EndingAnotherUsersSessionIsNotFound) {
  world.user("other@example.com");
  const auto other = world.claims(world.login("other@example.com").tokens.access_token);
  auto ended = world.run(world.sessions->end(other.sub, opened.id));
  ASSERT_FALSE(ended.ok());
  EXPECT_TRUE(ended.error().is(AccountErrc::session_not_found));
  EXPECT_FALSE(revoked(refresh));
  ASSERT_TRUE(world.run(world.sessions->end(refresh.sub, opened.id)).ok());
  EXPECT_TRUE(revoked(refresh));
}

TEST_F(SessionsTest, EndAllKeepsTheOneAskedFor) {
  const auto second = world.login("rotation@example.com");
  ASSERT_TRUE(world.run(world.sessions->end_all(refresh.sub, second.id, "test")).ok());
  EXPECT_TRUE(revoked(refresh));
  EXPECT_FALSE(revoked(world.claims(second.tokens.refresh_token)));
}

}  // namespace
}  // namespace authsvc::auth
