#include "common/email.hpp"

#include <gtest/gtest.h>

namespace authsvc {
namespace {

TEST(CanonicalEmail, TrimsAndLowerCases) {
  EXPECT_EQ(canonical_email("  Test@Test.COM \t"), "test@test.com");
}

TEST(CanonicalEmail, NormalisesToNfc) {
  // "é" as e + combining acute (NFD) and as one code point (NFC) are the same account.
  EXPECT_EQ(canonical_email("Jos\x65\xCC\x81@example.com"),
            canonical_email("jos\xC3\xA9@example.com"));
  EXPECT_EQ(canonical_email("JOS\xC3\x89@example.com"), "jos\xC3\xA9@example.com");
}

TEST(CanonicalEmail, RejectsInvalidUtf8) {
  EXPECT_FALSE(canonical_email("bad\xff@example.com"));
}

TEST(LooksLikeEmail, AcceptsOrdinaryAddresses) {
  EXPECT_TRUE(looks_like_email("user@example.com"));
  EXPECT_TRUE(looks_like_email("a.b+c@sub.example.org"));
}

TEST(LooksLikeEmail, RejectsMalformed) {
  EXPECT_FALSE(looks_like_email("userexample.com"));
  EXPECT_FALSE(looks_like_email("@example.com"));
  EXPECT_FALSE(looks_like_email("user@localhost"));
  EXPECT_FALSE(looks_like_email("us er@example.com"));
  EXPECT_FALSE(looks_like_email("a@b@example.com"));
  EXPECT_FALSE(looks_like_email("user@.example.com"));
}

}  // namespace
}  // namespace authsvc
