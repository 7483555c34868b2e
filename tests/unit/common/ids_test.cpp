#include "common/ids.hpp"

#include <gtest/gtest.h>

#include <set>

namespace authsvc {
namespace {

TEST(Uuid, NewUuidsAreCanonicalVersion4AndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = new_uuid();
    ASSERT_TRUE(is_uuid(id)) << id;
    EXPECT_EQ(id[14], '4');
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos);
    EXPECT_EQ(id, [&] {
      std::string lower = id;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return lower;
    }());
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000U);
}

TEST(Uuid, Validation) {
  EXPECT_TRUE(is_uuid("6a1f0e5e-3c1b-4f7e-9d2a-0a1b2c3d4e5f"));
  EXPECT_TRUE(is_uuid("6A1F0E5E-3C1B-4F7E-9D2A-0A1B2C3D4E5F"));
  EXPECT_FALSE(is_uuid("6a1f0e5e3c1b4f7e9d2a0a1b2c3d4e5f"));
  EXPECT_FALSE(is_uuid("6a1f0e5e-3c1b-4f7e-9d2a-0a1b2c3d4e5g"));
  EXPECT_FALSE(is_uuid("6a1f0e5e-3c1b-4f7e-9d2a-0a1b2c3d4e5f0"));
  EXPECT_FALSE(is_uuid(""));
}

TEST(Uuid, CanonicalIsLowercase) {
  EXPECT_TRUE(is_canonical_uuid("6a1f0e5e-3c1b-4f7e-9d2a-0a1b2c3d4e5f"));
  EXPECT_FALSE(is_canonical_uuid("6A1F0E5E-3C1B-4F7E-9D2A-0A1B2C3D4E5F"));
  EXPECT_FALSE(is_canonical_uuid("6a1f0e5e-3c1b-4f7e-9d2a-0a1b2c3d4e5F"));
  EXPECT_FALSE(is_canonical_uuid("not-a-uuid"));
}

TEST(RandomHex, HasRequestedLength) {
  EXPECT_EQ(random_hex(16).size(), 32U);
  EXPECT_NE(random_hex(16), random_hex(16));
}

}  // namespace
}  // namespace authsvc

namespace authsvc {
namespace {

TEST(CorrelationId, IsThirtyTwoHexDigitsAndUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const auto id = correlation_id();
    ASSERT_EQ(id.size(), 32U);
    ASSERT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000U);
}

}  // namespace
}  // namespace authsvc
