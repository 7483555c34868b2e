#include "auth/user_directory.hpp"

#include <gtest/gtest.h>

namespace authsvc::auth {
namespace {

TEST(UserSnapshot, PrimaryRoleIsAdminThenFirstByNameThenUser) {
  EXPECT_EQ((UserSnapshot{"id", false, {}}).primary_role(), "user");
  EXPECT_EQ((UserSnapshot{"id", false, {"editor", "viewer"}}).primary_role(), "editor");
  EXPECT_EQ((UserSnapshot{"id", false, {"admin", "editor"}}).primary_role(), "admin");
  EXPECT_EQ((UserSnapshot{"id", false, {"a-team", "admin"}}).primary_role(), "admin");
}

}  // namespace
}  // namespace authsvc::auth
