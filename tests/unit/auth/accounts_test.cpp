// auth::Accounts over in-memory SQLite: what a login for an unknown e-mail costs while the original
// service's hashes are still stored.
#include "auth/accounts.hpp"

#include <gtest/gtest.h>

#include "auth_world.hpp"

namespace authsvc::auth {
namespace {

using test::AuthWorld;

TEST(Accounts, AnUnknownEmailCostsAsMuchAsTheSlowestStoredHash) {
  AuthWorld world;
  world.user("fast@example.com");  // the world's own cheap Werkzeug hashes
  ASSERT_TRUE(world.run(world.accounts.calibrate_unknown_email_cost()).ok());
  EXPECT_TRUE(world.hasher.dummy_verify_target().starts_with("pbkdf2:sha256:1000$"));

  // A user the original service created, with its Werkzeug default.
  const crypto::PasswordHasher original(crypto::PasswordHasherOptions{
      .write_werkzeug_pbkdf2 = true, .werkzeug_pbkdf2_iterations = 50000});
  const auto user_id = world.user("original@example.com");
  std::vector<storage::SqlParam> params{original.hash("the original's password"), user_id};
  ASSERT_TRUE(world
                  .run(world.db.execute(R"(UPDATE "user" SET password_hash = $1 WHERE id = $2)",
                                        std::move(params)))
                  .ok());
  ASSERT_TRUE(world.run(world.accounts.calibrate_unknown_email_cost()).ok());
  EXPECT_TRUE(world.hasher.dummy_verify_target().starts_with("pbkdf2:sha256:50000$"))
      << world.hasher.dummy_verify_target();
}

}  // namespace
}  // namespace authsvc::auth
