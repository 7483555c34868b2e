// Compact JWS: PyJWT-ordered decoding, header rules, sign/verify round trips.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <string>

#include "crypto/base64url.hpp"
#include "crypto/jws.hpp"
#include "fakes/test_keys.hpp"

namespace authsvc::crypto {
namespace {

using test::fixture_key;

std::string b64(std::string_view text) {
  return base64url_encode(text);
}

// The PyJWT text of a decode failure, or "<ok>".
std::string decode_error(std::string_view token) {
  auto parts = decode_jws(token);
  return parts ? "<ok>" : parts.error().detail;
}

std::string header_error(std::string_view header_json,
                         JwsAlgorithm expected = JwsAlgorithm::es256) {
  const std::string token = b64(header_json) + "." + b64("{}") + "." + b64("sig");
  auto parts = decode_jws(token);
  if (!parts) return "decode: " + parts.error().detail;
  auto checked = check_jws_header(*parts, expected);
  return checked ? "<ok>" : checked.error().detail;
}

TEST(JwsCompact, RoundTripForEveryAlgorithm) {
  for (const auto alg :
       {JwsAlgorithm::rs256, JwsAlgorithm::es256, JwsAlgorithm::eddsa, JwsAlgorithm::hs256}) {
    const auto& key = fixture_key(alg);
    auto token = sign_jws(key, "kid-1", R"({"sub":"x"})");
    ASSERT_TRUE(token.ok()) << token.error().describe();
    auto parts = decode_jws(*token);
    ASSERT_TRUE(parts.ok()) << parts.error().detail;
    EXPECT_EQ(parts->payload, R"({"sub":"x"})");
    EXPECT_EQ(parts->alg(), jws_algorithm_name(alg));
    EXPECT_EQ(parts->kid().value_or(""), "kid-1");
    EXPECT_EQ(
        boost::json::serialize(parts->header),
        R"({"alg":")" + std::string(jws_algorithm_name(alg)) + R"(","kid":"kid-1","typ":"JWT"})");
    EXPECT_TRUE(check_jws_header(*parts, alg).ok());
    EXPECT_TRUE(verify_jws_signature(*parts, key).ok());
    EXPECT_FALSE(verify_jws_signature(*parts, fixture_key(alg, 1)).ok());
  }
}

TEST(JwsCompact, NoKidHeaderWhenKidEmpty) {
  auto token = sign_jws(fixture_key(JwsAlgorithm::hs256), "", "{}");
  auto parts = decode_jws(token.value());
  ASSERT_TRUE(parts.ok());
  EXPECT_FALSE(parts->header.contains("kid"));
}

TEST(JwsCompact, DecodeErrorsInPyJwtOrderAndWording) {
  const std::string h = b64(R"({"alg":"ES256"})");
  const std::string p = b64("{}");
  const std::string s = b64("signature");
  EXPECT_EQ(decode_error(""), "Not enough segments");
  EXPECT_EQ(decode_error("abc"), "Not enough segments");
  EXPECT_EQ(decode_error(h + "." + p), "Not enough segments");
  EXPECT_EQ(decode_error(h + "." + p + "." + s), "<ok>");
  EXPECT_EQ(decode_error(h + "." + p + "."), "<ok>")
      << "an empty signature decodes (and then fails)";
  EXPECT_EQ(decode_error("a." + p + "." + s), "Invalid header padding");
  EXPECT_EQ(decode_error(h + "=." + p + "." + s), "Invalid header padding");
  EXPECT_EQ(decode_error(b64("not json") + "." + p + "." + s),
            "Invalid header string: Expecting value: line 1 column 1 (char 0)");
  EXPECT_EQ(decode_error(b64("[]") + "." + p + "." + s),
            "Invalid header string: must be a json object");
  EXPECT_EQ(decode_error(h + ".a." + s), "Invalid payload padding");
  EXPECT_EQ(decode_error(h + "." + p + "+/." + s), "Invalid payload padding");
  EXPECT_EQ(decode_error(h + "." + p + "." + p + "." + s), "Invalid payload padding")
      << "4 segments";
  EXPECT_EQ(decode_error(h + "." + p + "." + p + "." + p + "." + s), "Invalid payload padding")
      << "JWE";
  EXPECT_EQ(decode_error(h + "." + p + "." + s + "="), "Invalid crypto padding");
  EXPECT_EQ(decode_error(h + "." + p + ".a"), "Invalid crypto padding");
  EXPECT_EQ(decode_error(h + "." + p + "." + s + "\n"), "Invalid crypto padding");
  EXPECT_EQ(decode_error(std::string(kMaxJwsBytes + 1, 'a')), "Token is too large");
  // Errors come in PyJWT's order: the header is judged before the payload and the signature.
  EXPECT_EQ(decode_error("a.a.a"), "Invalid header padding");
  EXPECT_EQ(decode_error(h + ".a.a"), "Invalid payload padding");
}

TEST(JwsCompact, DecodeErrorCodes) {
  EXPECT_TRUE(decode_jws("abc").error().is(JwsErrc::malformed));
  EXPECT_TRUE(decode_jws("a.b.c").error().is(JwsErrc::bad_header));
  EXPECT_TRUE(decode_jws(b64("{}") + ".a.c").error().is(JwsErrc::bad_payload_encoding));
  EXPECT_TRUE(decode_jws(b64("{}") + "..a").error().is(JwsErrc::bad_signature_encoding));
}

TEST(JwsCompact, HeaderRules) {
  EXPECT_EQ(header_error(R"({"alg":"ES256"})"), "<ok>");
  EXPECT_EQ(header_error(R"({"alg":"ES256","kid":"k","typ":"JWT","cty":"x"})"), "<ok>");
  EXPECT_EQ(header_error(R"({"alg":"ES256","kid":123})"),
            "Key ID header parameter must be a string");
  EXPECT_EQ(header_error(R"({"alg":"ES256","kid":null})"),
            "Key ID header parameter must be a string");
  EXPECT_EQ(header_error(R"({"alg":"ES256","kid":{}})"),
            "Key ID header parameter must be a string");
  EXPECT_EQ(header_error(R"({"alg":"ES256","crit":["exp"],"exp":1})"),
            "Unsupported critical extension: exp");
  EXPECT_EQ(header_error(R"({"alg":"ES256","crit":["b64"],"b64":false})"),
            "Unsupported critical extension: b64");
  EXPECT_EQ(header_error(R"({"alg":"ES256","crit":[]})"),
            "Invalid 'crit' header: must be a non-empty list");
  EXPECT_EQ(header_error(R"({"alg":"ES256","crit":"x"})"),
            "Invalid 'crit' header: must be a non-empty list");
  EXPECT_EQ(header_error(R"({"alg":"ES256","crit":[1]})"),
            "Invalid 'crit' header: values must be strings");
  for (const char* name : {"jku", "x5u", "jwk", "x5c"}) {
    EXPECT_EQ(
        header_error(R"({"alg":"ES256",")" + std::string(name) + R"(":"http://127.0.0.1:9/x"})"),
        "Unsupported header parameter: " + std::string(name));
  }
  for (const char* alg :
       {"none", "None", "NONE", "nOnE", "HS256", "RS256", "EdDSA", "es256", "ES384", ""}) {
    EXPECT_EQ(header_error(R"({"alg":")" + std::string(alg) + R"("})"),
              "The specified alg value is not allowed")
        << alg;
  }
  EXPECT_EQ(header_error(R"({"typ":"JWT"})"), "The specified alg value is not allowed");
  // PyJWT's order: the algorithm first, then (our own rules) kid, crit and key-carrying members.
  EXPECT_EQ(header_error(R"({"alg":"HS256","kid":1})"), "The specified alg value is not allowed");
  EXPECT_EQ(header_error(R"({"alg":"RS256","crit":["x"],"jku":"x"})"),
            "The specified alg value is not allowed");
  EXPECT_EQ(header_error(R"({"alg":["ES256"]})"), "The specified alg value is not allowed");
  EXPECT_EQ(header_error(R"({"alg":null})"), "The specified alg value is not allowed");
  EXPECT_EQ(header_error(R"({"alg":"ES256","alg":"none"})"),
            "decode: Invalid header string: Duplicate key: line 1 column 16 (char 15)");
  EXPECT_EQ(header_error(R"({"alg":"none","alg":"ES256"})"),
            "decode: Invalid header string: Duplicate key: line 1 column 15 (char 14)");
}

TEST(JwsCompact, EchoedCritNamesAreCutAndCleaned) {
  const std::string name(1000, 'x');
  const auto text = header_error(R"({"alg":"ES256","crit":[")" + name + "\\n\"]}");
  EXPECT_EQ(text, "Unsupported critical extension: " + std::string(64, 'x'));
}

TEST(JwsCompact, SignatureChecksBindTheAlgorithm) {
  // A token whose header names another algorithm never verifies, even with a matching key.
  const auto& key = fixture_key(JwsAlgorithm::es256);
  auto token = sign_jws(key, "", "{}").value();
  auto parts = decode_jws(token).value();
  parts.header["alg"] = "RS256";
  EXPECT_TRUE(verify_jws_signature(parts, key).error().is(JwsErrc::bad_signature));
  EXPECT_EQ(verify_jws_signature(parts, key).error().detail, "Signature verification failed");
}

}  // namespace
}  // namespace authsvc::crypto
