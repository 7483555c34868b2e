// auth::Roles: every change reaches the user directory at once, on this instance and on another one
// sharing the store (its invalidation channel).
#include "auth/roles.hpp"

#include <gtest/gtest.h>

#include "auth_world.hpp"

namespace authsvc::auth {
namespace {

using test::AuthWorld;

std::vector<std::string> roles_of(AuthWorld& world, UserDirectory& directory,
                                  const std::string& user_id) {
  auto user = world.run(directory.get(user_id));
  AuthWorld::must(user, "directory");
  return user->has_value() ? (*user)->roles : std::vector<std::string>{"<gone>"};
}

TEST(Roles, ChangesInvalidateTheDirectoryEverywhere) {
  AuthWorld world;
  // A second instance: its own directory over the same database and store.
  UserDirectory other(world.users, world.user_changes, world.store, world.clock);
  other.start();
  const auto user_id = world.user("editor@example.com");
  EXPECT_TRUE(roles_of(world, world.directory, user_id).empty());
  EXPECT_TRUE(roles_of(world, other, user_id).empty());  // both cached now

  auto role = world.run(world.roles.create("editor", std::nullopt));
  ASSERT_TRUE(role.ok()) << role.error().describe();
  ASSERT_TRUE(world.run(world.roles.assign(user_id, role->id)).ok());
  EXPECT_EQ(roles_of(world, world.directory, user_id), std::vector<std::string>{"editor"});
  EXPECT_EQ(roles_of(world, other, user_id), std::vector<std::string>{"editor"});

  ASSERT_TRUE(world.run(world.roles.update(role->id, std::string("writer"), std::nullopt)).ok());
  EXPECT_EQ(roles_of(world, other, user_id), std::vector<std::string>{"writer"});

  ASSERT_TRUE(world.run(world.roles.remove(role->id)).ok());
  EXPECT_TRUE(roles_of(world, world.directory, user_id).empty());
  EXPECT_TRUE(roles_of(world, other, user_id).empty());
}

// A second instance whose pub/sub never hears from this one (a lost message, a subscriber that
// was paused): it learns of the change from the recorded feed, at its next catch-up.
TEST(Roles, AnInstanceThatMissedTheMessageCatchesUpFromTheDatabase) {
  AuthWorld world;
  storage::MemoryEphemeralStore deaf_bus{world.clock};
  UserDirectory other(world.users, world.user_changes, deaf_bus, world.clock);
  other.start();
  const auto user_id = world.user("missed@example.com");
  EXPECT_TRUE(roles_of(world, other, user_id).empty());  // cached

  auto role = world.run(world.roles.create("editor", std::nullopt));
  ASSERT_TRUE(role.ok()) << role.error().describe();
  ASSERT_TRUE(world.run(world.roles.assign(user_id, role->id)).ok());
  EXPECT_TRUE(roles_of(world, other, user_id).empty()) << "no message reached it";
  world.clock.advance(UserDirectory::kCatchUpInterval);
  ASSERT_TRUE(world.run(other.catch_up()).ok());
  EXPECT_EQ(roles_of(world, other, user_id), std::vector<std::string>{"editor"});

  ASSERT_TRUE(world.run(world.roles.remove(role->id)).ok());  // every user
  world.clock.advance(UserDirectory::kCatchUpInterval);
  ASSERT_TRUE(world.run(other.catch_up()).ok());
  EXPECT_TRUE(roles_of(world, other, user_id).empty());
}

TEST(Roles, AssigningTwiceOrToNobodyIsRefused) {
  AuthWorld world;
  const auto user_id = world.user("twice@example.com");
  auto role = world.run(world.roles.create("viewer", std::string("Views")));
  ASSERT_TRUE(role.ok());
  ASSERT_TRUE(world.run(world.roles.assign(user_id, role->id)).ok());
  auto again = world.run(world.roles.assign(user_id, role->id));
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(again.error().is(RoleErrc::already_assigned));
  auto nobody = world.run(world.roles.assign("00000000-0000-4000-8000-000000000000", role->id));
  ASSERT_FALSE(nobody.ok());
  EXPECT_TRUE(nobody.error().is(RoleErrc::user_not_found));
}

}  // namespace
}  // namespace authsvc::auth
