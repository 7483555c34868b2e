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

TEST(Logins, PasswordChangeIsTheOwnersAndEndsTheOtherSessions) {
  AuthWorld world;
  const auto user_id = world.user("carol@example.com");
  const auto here = world.login("carol@example.com");
  const auto elsewhere = world.login("carol@example.com");
  auto caller = world.run(world.authenticator->accept(world.claims(here.tokens.access_token),
                                                      tokens::TokenType::access));
  ASSERT_TRUE(caller.ok()) << caller.error().describe();

  auto foreign = world.run(world.logins->change_password(
      *caller, "00000000-0000-4000-8000-000000000000", kWorldPassword, "New-password-2"));
  ASSERT_FALSE(foreign.ok());
  EXPECT_TRUE(foreign.error().is(AccountErrc::not_owner));
  auto wrong = world.run(
      world.logins->change_password(*caller, user_id, "not-the-password", "New-password-2"));
  ASSERT_FALSE(wrong.ok());
  EXPECT_TRUE(wrong.error().is(AccountErrc::wrong_credentials));
  auto short_one =
      world.run(world.logins->change_password(*caller, user_id, kWorldPassword, "short"));
  ASSERT_FALSE(short_one.ok());
  EXPECT_TRUE(short_one.error().is(AccountErrc::password_too_short));

  ASSERT_TRUE(
      world.run(world.logins->change_password(*caller, user_id, kWorldPassword, "New-password-2"))
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
