// auth::Revocations over in-memory SQLite and the in-process store with a fake clock: how long a
// revocation lasts.
#include "auth/revocations.hpp"

#include <gtest/gtest.h>

#include "auth_world.hpp"
#include "common/ids.hpp"
#include "fakes/failing_store.hpp"

namespace authsvc::auth {
namespace {

using test::AuthWorld;

// A token is accepted until exp plus the verifier's leeway, so its revocation must last that long,
// in the denylist and in the durable record it is rebuilt from.
TEST(Revocations, LastUntilExpiryPlusLeeway) {
  AuthWorld world;
  Revocations lenient(world.store, world.revocation_rows, world.session_rows, world.denylist_state,
                      world.clock, std::chrono::seconds(30));
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

// Issue 13 item 1: a denylist write that fails on one instance (a replica answering READONLY)
// leaves the others trusting a marker over a denylist that lacks the revocation. The doubt is
// durable: every instance learns of it at its next reconcile() (and after a restart), stops
// trusting the marker and rebuilds; the rebuild clears it.
TEST(Revocations, AFailedDenylistWriteIsKnownToEveryInstance) {
  AuthWorld world;
  test::FailingStore read_only(world.store, /*reads_work=*/true);
  Revocations failing(read_only, world.revocation_rows, world.session_rows, world.denylist_state,
                      world.clock);
  const auto jti = new_uuid();
  const auto expires_at = world.clock.now() + std::chrono::minutes(10);
  ASSERT_FALSE(world.run(failing.revoke_token(jti, std::nullopt, expires_at)).ok())
      << "recorded durably, not in the denylist: the caller answers 503";
  auto doubt = world.run(world.denylist_state.read());
  ASSERT_TRUE(doubt.ok());
  EXPECT_TRUE(doubt->doubtful());

  // Another instance: its denylist lacks the jti, but its marker is still there.
  auto before = world.run(world.revocations.is_revoked(jti, std::nullopt));
  ASSERT_TRUE(before.ok());
  EXPECT_FALSE(*before) << "the hole this closes (a check before the next reconcile)";
  ASSERT_TRUE(world.run(world.revocations.reconcile()).ok());
  auto after = world.run(world.revocations.is_revoked(jti, std::nullopt));
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(*after) << "no marker: the database answers, and the denylist is rebuilt";

  world.io.restart();
  world.io.run_for(std::chrono::milliseconds(200));  // the background rebuild
  auto cleared = world.run(world.denylist_state.read());
  ASSERT_TRUE(cleared.ok());
  EXPECT_FALSE(cleared->doubtful()) << "a complete rebuild cleared the doubt";
  std::vector<std::string> keys{Revocations::token_key(jti), std::string(Revocations::kSeedMarker)};
  auto listed = world.run(world.store.get_many(std::move(keys)));
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE((*listed)[0]) << "the rebuilt denylist has the revocation";
  EXPECT_TRUE((*listed)[1]) << "and its marker again";
}

// A rebuild clears only the doubt it began with: one raised meanwhile stays.
TEST(Revocations, ClearingAnOlderDoubtLeavesANewerOne) {
  AuthWorld world;
  ASSERT_TRUE(world.run(world.denylist_state.raise()).ok());
  ASSERT_TRUE(world.run(world.revocations.seed()).ok());
  auto cleared = world.run(world.denylist_state.read());
  ASSERT_TRUE(cleared.ok());
  EXPECT_FALSE(cleared->doubtful());
  ASSERT_TRUE(world.run(world.denylist_state.raise()).ok());
  ASSERT_TRUE(world.run(world.denylist_state.clear(cleared->raised)).ok());
  auto still = world.run(world.denylist_state.read());
  ASSERT_TRUE(still.ok());
  EXPECT_TRUE(still->doubtful()) << "clearing an older epoch leaves the newer doubt";
}

// A write that failed on an instance that died before it could raise the doubt: the recent durable
// revocations are copied into the denylist within kReconcileEvery.
TEST(Revocations, RecentDurableRevocationsAreCopiedIntoTheDenylist) {
  AuthWorld world;
  const auto jti = new_uuid();
  ASSERT_TRUE(
      world
          .run(world.revocation_rows.add(
              jti, std::nullopt, world.clock.now() + std::chrono::minutes(10), world.clock.now()))
          .ok());
  EXPECT_FALSE(*world.run(world.revocations.is_revoked(jti, std::nullopt)));
  ASSERT_TRUE(world.run(world.revocations.reconcile()).ok());
  EXPECT_TRUE(*world.run(world.revocations.is_revoked(jti, std::nullopt)));
}

}  // namespace
}  // namespace authsvc::auth
