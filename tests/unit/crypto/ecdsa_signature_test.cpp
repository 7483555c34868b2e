// ECDSA signature encodings: DER <-> raw r||s (RFC 7518 section 3.4).
#include <gtest/gtest.h>

#include <string>

#include "crypto/ecdsa_signature.hpp"

namespace authsvc::crypto {
namespace {

std::string raw_with(unsigned char r_first, unsigned char s_first) {
  std::string raw(64, '\x11');
  raw[0] = static_cast<char>(r_first);
  raw[32] = static_cast<char>(s_first);
  return raw;
}

TEST(JwsEcdsaSignature, RawToDerAndBack) {
  for (const auto& raw :
       {raw_with(0x11, 0x22), raw_with(0x80, 0xFF), raw_with(0x00, 0x00), raw_with(0x00, 0x80)}) {
    auto der = ecdsa_raw_to_der(raw);
    ASSERT_TRUE(der.has_value());
    EXPECT_EQ(static_cast<unsigned char>((*der)[0]), 0x30);  // SEQUENCE
    auto back = ecdsa_der_to_raw(*der);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, raw);
  }
}

TEST(JwsEcdsaSignature, HighBitGetsALeadingZeroInDer) {
  auto der = ecdsa_raw_to_der(raw_with(0x80, 0x01));
  ASSERT_TRUE(der.has_value());
  // 30 len 02 21 00 80 ...
  EXPECT_EQ(static_cast<unsigned char>((*der)[2]), 0x02);
  EXPECT_EQ(static_cast<unsigned char>((*der)[3]), 0x21);
  EXPECT_EQ(static_cast<unsigned char>((*der)[4]), 0x00);
}

TEST(JwsEcdsaSignature, RejectsWrongSizesAndGarbage) {
  EXPECT_FALSE(ecdsa_raw_to_der(std::string(63, 'a')).has_value());
  EXPECT_FALSE(ecdsa_raw_to_der(std::string(65, 'a')).has_value());
  EXPECT_FALSE(ecdsa_raw_to_der("").has_value());
  EXPECT_FALSE(ecdsa_der_to_raw("").has_value());
  EXPECT_FALSE(ecdsa_der_to_raw("\x30\x03\x02\x01").has_value());
  EXPECT_FALSE(ecdsa_der_to_raw(std::string(64, '\x30')).has_value());
  // Trailing bytes after the DER structure.
  auto der = ecdsa_raw_to_der(raw_with(0x11, 0x22));
  ASSERT_TRUE(der.has_value());
  EXPECT_FALSE(ecdsa_der_to_raw(*der + "x").has_value());
  // r of 33 significant bytes does not fit P-256.
  std::string big = *der;
  EXPECT_FALSE(ecdsa_der_to_raw(big, 16).has_value());
}

}  // namespace
}  // namespace authsvc::crypto
