// Strict base64url (RFC 7515 section 2).
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "crypto/base64url.hpp"

namespace authsvc::crypto {
namespace {

TEST(JwsBase64url, Rfc4648Vectors) {
  const std::pair<std::string, std::string> vectors[] = {
      {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},         {"foo", "Zm9v"},
      {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(base64url_encode(plain), encoded);
    auto decoded = base64url_decode(encoded);
    ASSERT_TRUE(decoded.has_value()) << encoded;
    EXPECT_EQ(*decoded, plain);
  }
}

TEST(JwsBase64url, UsesTheUrlAlphabet) {
  const std::string bytes("\xfb\xff\xbf", 3);
  EXPECT_EQ(base64url_encode(bytes), "-_-_");
  EXPECT_EQ(base64url_decode("-_-_"), bytes);
}

TEST(JwsBase64url, RoundTripsRandomBytesOfEveryLength) {
  std::mt19937 random(42);
  for (std::size_t length = 0; length < 200; ++length) {
    std::string bytes(length, '\0');
    for (auto& b : bytes) b = static_cast<char>(random() & 0xFF);
    const auto encoded = base64url_encode(bytes);
    EXPECT_EQ(encoded.find_first_of("+/="), std::string::npos);
    EXPECT_EQ(base64url_decode(encoded), bytes) << length;
  }
}

TEST(JwsBase64url, RejectsPaddingStandardAlphabetWhitespaceAndJunk) {
  for (const char* bad :
       {"Zg==", "Zg=", "Zm9vYg==", "=", "Z", "Zm9vY", "+w", "/w", "ab+/", "Zm 9v", "Zm9v\n",
        " Zm9v", "Zm9v.", "Zm9v\t", "Zm\0v", "\xc3\xa9xx", "Zm9v%", "Zm9v*"}) {
    EXPECT_FALSE(base64url_decode(bad).has_value()) << bad;
  }
  EXPECT_FALSE(base64url_decode(std::string_view("Zm\0v", 4)).has_value());
}

TEST(JwsBase64url, RejectsNonCanonicalTrailingBits) {
  // "Zg" is "f"; "Zh".."Zv" spell the same byte with non-zero spare bits.
  EXPECT_TRUE(base64url_decode("Zg").has_value());
  for (const char* alias : {"Zh", "Zi", "Zj", "Zk", "Zl", "Zm", "Zn", "Zo", "Zp", "Zv"}) {
    EXPECT_FALSE(base64url_decode(alias).has_value()) << alias;
  }
  // Two spare bits: "Zm8" is "fo"; "Zm9" differs only in them.
  EXPECT_TRUE(base64url_decode("Zm8").has_value());
  EXPECT_FALSE(base64url_decode("Zm9").has_value());
  // Every encoding the encoder produces is the only accepted one for its bytes.
  for (int b = 0; b < 256; ++b) {
    const std::string one(1, static_cast<char>(b));
    const std::string enc = base64url_encode(one);
    int accepted = 0;
    for (const char c :
         std::string_view("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")) {
      std::string candidate = enc;
      candidate[1] = c;
      auto decoded = base64url_decode(candidate);
      if (decoded && *decoded == one) ++accepted;
    }
    EXPECT_EQ(accepted, 1) << b;
  }
}

}  // namespace
}  // namespace authsvc::crypto
