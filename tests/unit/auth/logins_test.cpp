// auth::Logins: the password login use case (lockout, password, session, history) and the password
// change (owner, old password, other sessions ended).
#include "auth/logins.hpp"

#include <gtest/gtest.h>

#include "auth/account_errors.hpp"
#include "auth_world.hpp"

namespace authsvc::auth {
namespace {

using test::AuthWorld;
using test::kWorldPassword;

TEST(Logins, ALoginOpensASessionAndWritesItsHistoryRow) {
  AuthWorld world;
  const auto user_id = world.user("Alice@Example.com");
  const auto opened = world.login("alice@example.COM");
  const auto claims = world.claims(opened.tokens.access_token);
  EXPECT_EQ(claims.sub, user_id);
  EXPECT_EQ(claims.sid, opened.id);
  auto history = world.run(world.history.page(user_id, user_id, 1, 10));
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->items.size(), 1u);
  EXPECT_EQ(history->items[0].user_agent, "unit-test");
  EXPECT_EQ(history->items[0].authentication_date, world.clock.now());
  auto row = world.run(world.db.execute("SELECT session_id, ip FROM login_histories"));
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(row->at(0, 0), opened.id);
  EXPECT_EQ(row->at(0, 1), "127.0.0.1");
}

TEST(Logins, WrongPasswordsLockTheEmailThenTheWindowEnds) {
  AuthWorld world;
  world.user("bob@example.com");
  for (std::int64_t i = 0; i < AuthWorld::kMaxFailures; ++i) {
    auto wrong = world.run(world.logins->with_password({"bob@example.com", "wrong-password", {}}));
    ASSERT_FALSE(wrong.ok());
    EXPECT_TRUE(wrong.error().is(AccountErrc::wrong_credentials));
  }
  auto locked = world.run(world.logins->with_password({"BOB@example.com", kWorldPassword, {}}));
  ASSERT_FALSE(locked.ok());
  EXPECT_TRUE(locked.error().is(AccountErrc::locked_out));
  EXPECT_EQ(locked.error().retry_after, AuthWorld::kFailureWindow);
  world.clock.advance(AuthWorld::kFailureWindow + std::chrono::seconds(1));
  EXPECT_TRUE(world.run(world.logins->with_password({"bob@example.com", kWorldPassword, {}})).ok());
}

// NIST SP 800-63B: a third party's failures lock out only that party; the owner, from a client
// without failures of its own, gets in even after the account's ceiling.
TEST(Logins, FailuresFromOneClientDoNotLockOutTheOwnersClient) {
  AuthWorld world;
  world.user("dave@example.com");
  const ClientInfo attacker{std::nullopt, std::string("203.0.113.7")};
  const ClientInfo owner{std::nullopt, std::string("198.51.100.2")};
  for (std::int64_t i = 0; i < AuthWorld::kMaxFailures; ++i) {
    ASSERT_FALSE(
        world.run(world.logins->with_password({"dave@example.com", "wrong-password", attacker}))
            .ok());
  }
  auto refused =
      world.run(world.logins->with_password({"dave@example.com", kWorldPassword, attacker}));
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(refused.error().is(AccountErrc::locked_out));
  EXPECT_TRUE(
      world.run(world.logins->with_password({"dave@example.com", kWorldPassword, owner})).ok())
      << "the owner's client has no failures";

  // Many attackers past the account's ceiling: clients with failures are refused, a clean one is
  // not.
  for (int i = 0; i < AuthWorld::kAccountMaxFailures; ++i) {
    const ClientInfo bot{std::nullopt, "192.0.2." + std::to_string(i)};
    (void)world.run(world.logins->with_password({"dave@example.com", "wrong-password", bot}));
  }
  const ClientInfo seen_bot{std::nullopt, std::string("192.0.2.0")};
  auto bot_again =
      world.run(world.logins->with_password({"dave@example.com", kWorldPassword, seen_bot}));
  ASSERT_FALSE(bot_again.ok());
  EXPECT_TRUE(bot_again.error().is(AccountErrc::locked_out)) << "over the account's ceiling";
  EXPECT_TRUE(
      world.run(world.logins->with_password({"dave@example.com", kWorldPassword, owner})).ok());
}

TEST(Logins, TheOldPasswordOfAPasswordChangeIsThrottled) {
  AuthWorld world;
  const auto user_id = world.user("erin@example.com");
  const auto here = world.login("erin@example.com");
  auto caller = world.run(world.authenticator->accept(world.claims(here.tokens.access_token),
                                                      tokens::TokenType::access));
  ASSERT_TRUE(caller.ok()) << caller.error().describe();
  const ClientInfo thief{std::nullopt, std::string("203.0.113.9")};
  for (std::int64_t i = 0; i < AuthWorld::kMaxFailures; ++i) {
    auto wrong = world.run(world.logins->change_password(
        *caller, user_id, "guess-" + std::to_string(i), "New-password-2", thief));
    ASSERT_TRUE(wrong.error().is(AccountErrc::wrong_credentials));
  }
  auto refused = world.run(
      world.logins->change_password(*caller, user_id, kWorldPassword, "New-password-2", thief));
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(refused.error().is(AccountErrc::locked_out)) << "even the right old password";
}

TEST(Logins, PasswordChangeIsTheOwnersAndEndsTheOtherSessions) {
  AuthWorld world;
  const auto user_id = world.user("carol@example.com");
  const auto here = world.login("carol@example.com");
  const auto elsewhere = world.login("carol@example.com");
  auto caller = world.run(world.authenticator->accept(world.claims(here.tokens.access_token),
                                                      tokens::TokenType::access));
  ASSERT_TRUE(caller.ok()) << caller.error().describe();

  auto foreign = world.run(world.logins->change_password(
      *caller, "00000000-0000-4000-8000-000000000000", kWorldPassword, "New-password-2", {}));
  ASSERT_FALSE(foreign.ok());
  EXPECT_TRUE(foreign.error().is(AccountErrc::not_owner));
  auto wrong = world.run(
      world.logins->change_password(*caller, user_id, "not-the-password", "New-password-2", {}));
  ASSERT_FALSE(wrong.ok());
  EXPECT_TRUE(wrong.error().is(AccountErrc::wrong_credentials));
  auto short_one =
      world.run(world.logins->change_password(*caller, user_id, kWorldPassword, "short", {}));
  ASSERT_FALSE(short_one.ok());
  EXPECT_TRUE(short_one.error().is(AccountErrc::password_too_short));

  ASSERT_TRUE(world
                  .run(world.logins->change_password(*caller, user_id, kWorldPassword,
                                                     "New-password-2", {}))
                  .ok());
  auto kept = world.run(world.authenticator->is_revoked(world.claims(here.tokens.refresh_token)));
  auto ended =
      world.run(world.authenticator->is_revoked(world.claims(elsewhere.tokens.refresh_token)));
  ASSERT_TRUE(kept.ok() && ended.ok());
  EXPECT_FALSE(*kept) << "the caller's own session stays";
  EXPECT_TRUE(*ended);
  EXPECT_TRUE(
      world.run(world.logins->with_password({"carol@example.com", "New-password-2", {}})).ok());
}

}  // namespace
}  // namespace authsvc::auth
