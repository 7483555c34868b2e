// auth::Authenticator: SPEC R2's order after verification (type, then revocation) and the caller.
#include "auth/authenticator.hpp"

#include <gtest/gtest.h>

#include "auth_world.hpp"
#include "tokens/token_errc.hpp"

namespace authsvc::auth {
namespace {

using test::AuthWorld;

TEST(Authenticator, TypeIsCheckedBeforeRevocationAndTheCallerIsLoaded) {
  AuthWorld world;
  const auto user_id = world.user("dave@example.com");
  const auto opened = world.login("dave@example.com");
  const auto access = world.claims(opened.tokens.access_token);
  const auto refresh = world.claims(opened.tokens.refresh_token);

  auto caller = world.run(world.authenticator->accept(access, tokens::TokenType::access));
  ASSERT_TRUE(caller.ok()) << caller.error().describe();
  EXPECT_EQ(caller->user_id(), user_id);
  ASSERT_TRUE(caller->user.has_value());
  EXPECT_EQ(caller->user->id, user_id);

  ASSERT_TRUE(world.run(world.sessions->logout(refresh)).ok());
  auto wrong_type = world.run(world.authenticator->accept(refresh, tokens::TokenType::access));
  ASSERT_FALSE(wrong_type.ok());
  EXPECT_EQ(wrong_type.error().client_text, "Only non-refresh tokens are allowed")
      << "the type check comes first, even for a revoked token";
  auto revoked = world.run(world.authenticator->accept(access, tokens::TokenType::access));
  ASSERT_FALSE(revoked.ok());
  EXPECT_TRUE(revoked.error().is(tokens::TokenErrc::revoked));
  EXPECT_EQ(revoked.error().client_text, "Token has been revoked");
}

TEST(Authenticator, AnInactiveAccountsTokensCountAsRevoked) {
  AuthWorld world;
  const auto user_id = world.user("erin@example.com");
  const auto access = world.claims(world.login("erin@example.com").tokens.access_token);
  std::vector<storage::SqlParam> params{user_id};
  ASSERT_TRUE(world
                  .run(world.db.execute(R"(UPDATE "user" SET is_active = 0 WHERE id = $1)",
                                        std::move(params)))
                  .ok());
  ASSERT_TRUE(world.run(world.directory.invalidate(user_id)).ok());
  auto refused = world.run(world.authenticator->accept(access, tokens::TokenType::access));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().client_text, "Token has been revoked");
  EXPECT_EQ(refused.error().detail, "the account is inactive");
}

}  // namespace
}  // namespace authsvc::auth
