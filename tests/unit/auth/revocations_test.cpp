// auth::Revocations over in-memory SQLite and the in-process store with a fake clock: how long a
// revocation lasts.
#include "auth/revocations.hpp"

#include <gtest/gtest.h>

#include "auth_world.hpp"
#include "common/ids.hpp"

namespace authsvc::auth {
namespace {

using test::AuthWorld;

// A token is accepted until exp plus the verifier's leeway, so its revocation must last that long,
// in the denylist and in the durable record it is rebuilt from.
TEST(Revocations, LastUntilExpiryPlusLeeway) {
  AuthWorld world;
  Revocations lenient(world.store, world.revocation_rows, world.session_rows, world.clock,
                      std::chrono::seconds(30));
  const auto jti = new_uuid();
  const auto expires_at = world.clock.now() + std::chrono::seconds(10);
  ASSERT_TRUE(world.run(lenient.revoke_token(jti, std::nullopt, expires_at)).ok());

  world.clock.advance(std::chrono::seconds(35));  // past exp, within the leeway
  auto listed = world.run(lenient.is_revoked(jti, std::nullopt));
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(*listed) << "the denylist entry outlives exp by the leeway";
  auto durable = world.run(world.revocation_rows.unexpired(world.clock.now()));
  ASSERT_TRUE(durable.ok());
  EXPECT_EQ(durable->size(), 1U) << "and so does the durable record (a rebuild keeps it)";

  world.clock.advance(std::chrono::seconds(10));  // past exp + leeway: no token can use it
  auto gone = world.run(world.revocation_rows.unexpired(world.clock.now()));
  ASSERT_TRUE(gone.ok());
  EXPECT_TRUE(gone->empty());
}

}  // namespace
}  // namespace authsvc::auth
