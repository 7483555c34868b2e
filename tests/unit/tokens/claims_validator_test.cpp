// Claims validation: PyJWT + flask-jwt-extended order and wording, plus our stricter types.
#include "tokens/claims_validator.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>

#include "fakes/fake_clock.hpp"

namespace authsvc::tokens {
namespace {

constexpr const char* kUser = "0b6e2a5c-2a59-4a54-9f3c-6a4c1d2b9e11";
constexpr const char* kSession = "9c4f1f6e-7a53-4a8e-8c1b-3e2f4d5a6b7c";

class ClaimsValidatorTest : public ::testing::Test {
 protected:
  // A valid access claims set at the clock's now; `patch` members replace or (null) remove.
  boost::json::object claims(const std::string& patch_json = "{}") const {
    const auto now = clock_.seconds();
    boost::json::object out{{"fresh", false},
                            {"iat", now},
                            {"nbf", now},
                            {"exp", now + 3600},
                            {"jti", "5d2c1b3a-1111-4222-8333-944455556666"},
                            {"type", "access"},
                            {"sub", kUser},
                            {"iss", "https://auth.test"},
                            {"sid", kSession},
                            {"roles", boost::json::array{"admin", "user"}},
                            {"is_superuser", true}};
    const boost::json::value patch = boost::json::parse(patch_json);
    for (const auto& [key, value] : patch.as_object()) {
      if (value.is_string() && value.as_string() == "<remove>") {
        out.erase(key);
      } else {
        out[key] = value;
      }
    }
    return out;
  }
  Result<TokenClaims> validate(const boost::json::object& payload) const {
    return validate_claims(payload, policy_, clock_.now());
  }
  std::string error_of(const std::string& patch_json) const {
    auto result = validate(claims(patch_json));
    return result ? "<ok>" : result.error().client_text;
  }
  TokenErrc code_of(const std::string& patch_json) const {
    auto result = validate(claims(patch_json));
    EXPECT_FALSE(result.ok()) << patch_json;
    return result ? TokenErrc{} : static_cast<TokenErrc>(result.error().code.value());
  }

  test::FakeClock clock_;
  ClaimsPolicy policy_{"https://auth.test", true, std::chrono::seconds(5)};
};

TEST_F(ClaimsValidatorTest, AcceptsAndReadsAValidAccessToken) {
  auto result = validate(claims());
  ASSERT_TRUE(result.ok()) << result.error().detail;
  EXPECT_EQ(result->type, TokenType::access);
  EXPECT_EQ(result->sub, kUser);
  EXPECT_EQ(result->sid.value_or(""), kSession);
  EXPECT_EQ(result->iss.value_or(""), "https://auth.test");
  EXPECT_EQ(result->exp, clock_.seconds() + 3600);
  EXPECT_EQ(result->iat.value_or(0), clock_.seconds());
  EXPECT_EQ(result->roles, (std::vector<std::string>{"admin", "user"}));
  EXPECT_TRUE(result->is_superuser);
  EXPECT_FALSE(result->fresh);
  EXPECT_FALSE(result->at.has_value());
  EXPECT_EQ(result->expires_at(), clock_.now() + std::chrono::hours(1));
}

TEST_F(ClaimsValidatorTest, AcceptsARefreshTokenAndTheOriginalServicesClaims) {
  auto refresh = validate(claims(R"({"type":"refresh","at":"0b6e2a5c-2a59-4a54-9f3c-6a4c1d2b9e11",
                                     "at_exp":1700000000,"roles":"<remove>",
                                     "is_superuser":"<remove>"})"));
  ASSERT_TRUE(refresh.ok()) << refresh.error().detail;
  EXPECT_EQ(refresh->type, TokenType::refresh);
  EXPECT_EQ(refresh->at.value_or(""), "0b6e2a5c-2a59-4a54-9f3c-6a4c1d2b9e11");
  EXPECT_EQ(refresh->at_exp.value_or(0), 1700000000);
  // flask-jwt-extended's own tokens: no iss, sid, roles, is_superuser.
  policy_.require_issuer = false;
  auto original = validate(claims(R"({"iss":"<remove>","sid":"<remove>","roles":"<remove>",
                                      "is_superuser":"<remove>"})"));
  ASSERT_TRUE(original.ok()) << original.error().detail;
  EXPECT_FALSE(original->sid.has_value());
  EXPECT_TRUE(original->roles.empty());
  EXPECT_EQ(error_of(R"({"iss":"https://other"})"), "Invalid issuer")
      << "a foreign iss still fails";
}

TEST_F(ClaimsValidatorTest, Expiry) {
  const auto now = clock_.seconds();
  EXPECT_EQ(error_of(R"({"exp":)" + std::to_string(now - 61) + "}"), "Token has expired");
  EXPECT_EQ(code_of(R"({"exp":)" + std::to_string(now - 61) + "}"), TokenErrc::expired);
  // PyJWT: expired when exp <= now - leeway.
  EXPECT_EQ(error_of(R"({"exp":)" + std::to_string(now - 5) + "}"), "Token has expired");
  EXPECT_EQ(error_of(R"({"exp":)" + std::to_string(now - 4) + "}"), "<ok>");
  policy_.leeway = std::chrono::seconds(0);
  EXPECT_EQ(error_of(R"({"exp":)" + std::to_string(now) + "}"), "Token has expired");
  EXPECT_EQ(error_of(R"({"exp":)" + std::to_string(now + 1) + "}"), "<ok>");
  EXPECT_EQ(error_of(R"({"exp":-1})"), "Token has expired");
  EXPECT_EQ(error_of(R"({"exp":)" + std::to_string(now + 1) + ".9}"), "<ok>")
      << "floats are truncated";
}

TEST_F(ClaimsValidatorTest, NotYetValid) {
  const auto now = clock_.seconds();
  EXPECT_EQ(error_of(R"({"nbf":)" + std::to_string(now + 120) + "}"),
            "The token is not yet valid (nbf)");
  EXPECT_EQ(code_of(R"({"nbf":)" + std::to_string(now + 120) + "}"), TokenErrc::not_yet_valid);
  EXPECT_EQ(error_of(R"({"nbf":)" + std::to_string(now + 5) + "}"), "<ok>") << "within leeway";
  EXPECT_EQ(error_of(R"({"iat":)" + std::to_string(now + 600) + "}"),
            "The token is not yet valid (iat)");
  // PyJWT checks iat, then nbf, then exp.
  EXPECT_EQ(error_of(R"({"nbf":)" + std::to_string(now + 120) + R"(,"exp":1})"),
            "The token is not yet valid (nbf)");
}

TEST_F(ClaimsValidatorTest, TimeClaimsMustBeNumbers) {
  for (const char* bad : {R"("123")", "true", "null", "[]", "{}", "1e309", "-1e309", "1e300",
                          "18446744073709551615"}) {
    EXPECT_EQ(error_of(std::string(R"({"iat":)") + bad + "}"),
              "Issued At claim (iat) must be an integer.")
        << bad;
    EXPECT_EQ(error_of(std::string(R"({"nbf":)") + bad + "}"),
              "Not Before claim (nbf) must be an integer.")
        << bad;
    if (std::string(bad) != "null") {
      EXPECT_EQ(error_of(std::string(R"({"exp":)") + bad + "}"),
                "Expiration Time claim (exp) must be an integer.")
          << bad;
    }
  }
  EXPECT_EQ(error_of(R"({"exp":null})"), "Token is missing the \"exp\" claim");
  EXPECT_EQ(error_of(R"({"exp":"<remove>"})"), "Token is missing the \"exp\" claim");
  EXPECT_EQ(code_of(R"({"exp":"<remove>"})"), TokenErrc::invalid_claims);
  EXPECT_EQ(error_of(R"({"iat":"<remove>","nbf":"<remove>"})"), "<ok>");
}

TEST_F(ClaimsValidatorTest, IssuerAndAudience) {
  EXPECT_EQ(error_of(R"({"iss":"https://evil"})"), "Invalid issuer");
  EXPECT_EQ(error_of(R"({"iss":1})"), "Invalid issuer");
  EXPECT_EQ(error_of(R"({"iss":"<remove>"})"), "Token is missing the \"iss\" claim");
  EXPECT_EQ(error_of(R"({"aud":"other-service"})"), "Invalid audience");
  EXPECT_EQ(error_of(R"({"aud":["a"]})"), "Invalid audience");
  EXPECT_EQ(error_of(R"({"aud":""})"), "<ok>") << "PyJWT ignores an empty aud";
  policy_.issuer.clear();
  EXPECT_EQ(error_of(R"({"iss":"https://anything"})"), "<ok>");
}

TEST_F(ClaimsValidatorTest, RequiredClaimsOfFlaskJwtExtended) {
  EXPECT_EQ(error_of(R"({"jti":"<remove>"})"), "Missing claim: jti");
  EXPECT_EQ(error_of(R"({"sub":"<remove>"})"), "Missing claim: sub");
  EXPECT_EQ(error_of(R"({"type":"<remove>"})"), "Missing or invalid claim: type");
  EXPECT_EQ(error_of(R"({"type":"id"})"), "Missing or invalid claim: type");
  EXPECT_EQ(error_of(R"({"type":1})"), "Missing or invalid claim: type");
  EXPECT_EQ(code_of(R"({"jti":"<remove>"})"), TokenErrc::invalid_claims);
}

TEST_F(ClaimsValidatorTest, ClaimTypes) {
  EXPECT_EQ(error_of(R"({"sub":"not-a-uuid"})"), "Invalid claim: sub");
  EXPECT_EQ(error_of(R"({"sub":12})"), "Invalid claim: sub");
  EXPECT_EQ(error_of(R"({"sub":null})"), "Invalid claim: sub");
  EXPECT_EQ(error_of(R"({"sub":""})"), "Invalid claim: sub");
  EXPECT_EQ(error_of(R"({"jti":7})"), "Invalid claim: jti");
  EXPECT_EQ(error_of(R"({"jti":""})"), "Invalid claim: jti");
  EXPECT_EQ(error_of(R"({"jti":null})"), "Invalid claim: jti");
  EXPECT_EQ(error_of(R"({"sid":"x"})"), "Invalid claim: sid");
  EXPECT_EQ(error_of(R"({"roles":"admin"})"), "Invalid claim: roles");
  EXPECT_EQ(error_of(R"({"roles":["admin",1]})"), "Invalid claim: roles");
  EXPECT_EQ(error_of(R"({"is_superuser":"true"})"), "Invalid claim: is_superuser");
  EXPECT_EQ(error_of(R"({"is_superuser":1})"), "Invalid claim: is_superuser");
  EXPECT_EQ(error_of(R"({"fresh":"yes"})"), "Invalid claim: fresh");
  EXPECT_EQ(error_of(R"({"at":5})"), "Invalid claim: at");
  // Ids are lowercase UUIDs, so a denylist key and the durable record name a token the same way
  // (a non-UUID jti could never be recorded durably).
  EXPECT_EQ(error_of(R"({"at":"abc"})"), "Invalid claim: at");
  EXPECT_EQ(error_of(R"({"at_exp":"soon"})"), "Invalid claim: at_exp");
  EXPECT_EQ(error_of(R"({"jti":"not-a-uuid"})"), "Invalid claim: jti");
  EXPECT_EQ(error_of(R"({"jti":"5D2C1B3A-1111-4222-8333-944455556666"})"), "Invalid claim: jti");
  EXPECT_EQ(error_of(R"({"sub":"0B6E2A5C-2A59-4A54-9F3C-6A4C1D2B9E11"})"), "Invalid claim: sub");
  EXPECT_EQ(error_of(R"({"sid":"0B6E2A5C-2A59-4A54-9F3C-6A4C1D2B9E11"})"), "Invalid claim: sid");
  EXPECT_EQ(error_of(R"({"sub":"0b6e2a5c-2a59-4a54-9f3c-6a4c1d2b9e11"})"), "<ok>");
  EXPECT_EQ(error_of(R"({"fresh":true})"), "<ok>");
  EXPECT_EQ(error_of(R"({"roles":[]})"), "<ok>");
}

TEST_F(ClaimsValidatorTest, FreshAsATimestamp) {
  auto until_later = validate(claims(R"({"fresh":)" + std::to_string(clock_.seconds() + 60) + "}"));
  ASSERT_TRUE(until_later.ok());
  EXPECT_TRUE(until_later->fresh);
  auto until_past = validate(claims(R"({"fresh":)" + std::to_string(clock_.seconds() - 60) + "}"));
  ASSERT_TRUE(until_past.ok());
  EXPECT_FALSE(until_past->fresh);
}

TEST_F(ClaimsValidatorTest, ToJsonRoundTrips) {
  auto access = validate(claims()).value();
  EXPECT_EQ(validate(access.to_json()).value().to_json(), access.to_json());
  EXPECT_FALSE(access.to_json().contains("at"));
  auto refresh =
      validate(claims(R"({"type":"refresh","at":"0b6e2a5c-2a59-4a54-9f3c-6a4c1d2b9e11","at_exp":17,
                      "roles":"<remove>","is_superuser":"<remove>"})"))
          .value();
  const auto json = refresh.to_json();
  EXPECT_FALSE(json.contains("roles"));
  EXPECT_FALSE(json.contains("is_superuser"));
  EXPECT_EQ(json.at("at").as_string(), "0b6e2a5c-2a59-4a54-9f3c-6a4c1d2b9e11");
  EXPECT_EQ(json.at("at_exp").as_int64(), 17);
}

}  // namespace
}  // namespace authsvc::tokens
