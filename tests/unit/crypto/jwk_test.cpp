// Public JWK export (RFC 7517/7518/8037) and RFC 7638 thumbprints.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>

#include "crypto/base64url.hpp"
#include "crypto/jwk.hpp"
#include "fakes/test_keys.hpp"

namespace authsvc::crypto {
namespace {

using test::fixture_key;

std::string member(const boost::json::object& jwk, const char* name) {
  const auto* value = jwk.if_contains(name);
  if (value == nullptr || !value->is_string()) return "<missing>";
  return std::string(value->get_string());
}

std::size_t decoded_size(const boost::json::object& jwk, const char* name) {
  auto decoded = base64url_decode(member(jwk, name));
  return decoded ? decoded->size() : 0;
}

void expect_only_public_members(const boost::json::object& jwk) {
  for (const char* secret : {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}) {
    EXPECT_FALSE(jwk.contains(secret)) << secret;
  }
}

TEST(JwsJwk, RsaShape) {
  auto jwk = public_jwk(fixture_key(JwsAlgorithm::rs256), "kid-1");
  ASSERT_TRUE(jwk.ok()) << jwk.error().describe();
  EXPECT_EQ(member(*jwk, "kty"), "RSA");
  EXPECT_EQ(member(*jwk, "e"), "AQAB");
  EXPECT_GE(decoded_size(*jwk, "n") * 8, 2048u);
  const auto n = base64url_decode(member(*jwk, "n")).value();
  EXPECT_NE(n[0], '\0') << "no leading zero byte";
  EXPECT_EQ(member(*jwk, "kid"), "kid-1");
  EXPECT_EQ(member(*jwk, "alg"), "RS256");
  EXPECT_EQ(member(*jwk, "use"), "sig");
  EXPECT_FALSE(jwk->contains("crv"));
  expect_only_public_members(*jwk);
}

TEST(JwsJwk, EcShape) {
  auto jwk = public_jwk(fixture_key(JwsAlgorithm::es256), "kid-2");
  ASSERT_TRUE(jwk.ok());
  EXPECT_EQ(member(*jwk, "kty"), "EC");
  EXPECT_EQ(member(*jwk, "crv"), "P-256");
  EXPECT_EQ(decoded_size(*jwk, "x"), 32u);
  EXPECT_EQ(decoded_size(*jwk, "y"), 32u);
  EXPECT_EQ(member(*jwk, "alg"), "ES256");
  EXPECT_EQ(member(*jwk, "use"), "sig");
  expect_only_public_members(*jwk);
}

TEST(JwsJwk, OkpShape) {
  auto jwk = public_jwk(fixture_key(JwsAlgorithm::eddsa), "kid-3");
  ASSERT_TRUE(jwk.ok());
  EXPECT_EQ(member(*jwk, "kty"), "OKP");
  EXPECT_EQ(member(*jwk, "crv"), "Ed25519");
  EXPECT_EQ(decoded_size(*jwk, "x"), 32u);
  EXPECT_FALSE(jwk->contains("y"));
  EXPECT_EQ(member(*jwk, "alg"), "EdDSA");
  expect_only_public_members(*jwk);
}

TEST(JwsJwk, NoKidMemberWhenEmptyAndNoJwkForHmac) {
  auto jwk = public_jwk(fixture_key(JwsAlgorithm::es256));
  ASSERT_TRUE(jwk.ok());
  EXPECT_FALSE(jwk->contains("kid"));
  EXPECT_TRUE(public_jwk(fixture_key(JwsAlgorithm::hs256)).error().is(CryptoErrc::wrong_algorithm));
  EXPECT_TRUE(
      jwk_thumbprint(fixture_key(JwsAlgorithm::hs256)).error().is(CryptoErrc::wrong_algorithm));
}

// RFC 7638 section 3.1.
TEST(JwsJwk, Rfc7638RsaThumbprint) {
  const auto jwk = boost::json::parse(R"({
    "kty": "RSA",
    "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
    "e": "AQAB",
    "alg": "RS256",
    "kid": "2011-04-29"
  })")
                       .as_object();
  auto thumbprint = jwk_thumbprint(jwk);
  ASSERT_TRUE(thumbprint.ok());
  EXPECT_EQ(*thumbprint, "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
}

// RFC 8037 appendix A.3.
TEST(JwsJwk, Rfc8037OkpThumbprint) {
  const auto jwk =
      boost::json::parse(
          R"({"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"})")
          .as_object();
  EXPECT_EQ(jwk_thumbprint(jwk).value(), "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
}

TEST(JwsJwk, ThumbprintIgnoresOptionalMembersAndRefusesIncompleteJwks) {
  auto jwk = public_jwk(fixture_key(JwsAlgorithm::es256), "some-kid").value();
  const auto with_kid = jwk_thumbprint(jwk).value();
  jwk.erase("kid");
  jwk.erase("use");
  EXPECT_EQ(jwk_thumbprint(jwk).value(), with_kid);
  EXPECT_EQ(jwk_thumbprint(fixture_key(JwsAlgorithm::es256)).value(), with_kid);
  EXPECT_NE(jwk_thumbprint(fixture_key(JwsAlgorithm::es256, 1)).value(), with_kid);
  jwk.erase("y");
  EXPECT_TRUE(jwk_thumbprint(jwk).error().is(CryptoErrc::invalid_key));
  EXPECT_TRUE(jwk_thumbprint(boost::json::object{{"kty", "oct"}, {"k", "AAAA"}})
                  .error()
                  .is(CryptoErrc::invalid_key));
  EXPECT_TRUE(jwk_thumbprint(boost::json::object{{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", "a\"b"}})
                  .error()
                  .is(CryptoErrc::invalid_key));
}

}  // namespace
}  // namespace authsvc::crypto
