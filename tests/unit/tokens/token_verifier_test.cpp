// TokenVerifier: round trips for every algorithm and the JWT attack classes (security.md §2, plan
// C).
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "crypto/ecdsa_signature.hpp"
#include "token_test_support.hpp"

namespace authsvc::tokens {
namespace {

using crypto::JwsAlgorithm;
using crypto::JwsKey;
using test::b64;
using test::craft;
using test::Deployment;
using test::fixture_key;

const JwsAlgorithm kAll[] = {JwsAlgorithm::rs256, JwsAlgorithm::es256, JwsAlgorithm::eddsa,
                             JwsAlgorithm::hs256};
const JwsAlgorithm kAsymmetric[] = {JwsAlgorithm::rs256, JwsAlgorithm::es256, JwsAlgorithm::eddsa};

TokenErrc code(const Result<TokenClaims>& result) {
  EXPECT_FALSE(result.ok());
  return result ? TokenErrc{} : static_cast<TokenErrc>(result.error().code.value());
}

std::string header_for(const Deployment& d, const std::string& extra = "") {
  std::string header =
      R"({"alg":")" + std::string(crypto::jws_algorithm_name(d.ring->algorithm())) + "\"";
  if (!d.kid().empty()) header += R"(,"kid":")" + d.kid() + "\"";
  return header + extra + "}";
}

TEST(TokenVerifier, IssuedPairsVerifyForEveryAlgorithm) {
  for (const auto alg : kAll) {
    Deployment d(alg);
    const auto pair = d.issue({"admin", "user"}, true);
    auto access = d.verify(pair.access.token);
    ASSERT_TRUE(access.ok()) << crypto::jws_algorithm_name(alg) << ": " << access.error().detail;
    EXPECT_EQ(access->type, TokenType::access);
    EXPECT_EQ(access->sub, test::kUserId);
    EXPECT_EQ(access->sid.value_or(""), test::kSessionId);
    EXPECT_EQ(access->jti, pair.access.jti);
    EXPECT_EQ(access->roles, (std::vector<std::string>{"admin", "user"}));
    EXPECT_TRUE(access->is_superuser);
    EXPECT_TRUE(check_token_type(*access, TokenType::access).ok());

    auto refresh = d.verify(pair.refresh.token);
    ASSERT_TRUE(refresh.ok()) << refresh.error().detail;
    EXPECT_EQ(refresh->type, TokenType::refresh);
    EXPECT_EQ(refresh->at.value_or(""), pair.access.jti);
    EXPECT_EQ(refresh->jti, pair.refresh.jti);
    EXPECT_TRUE(check_token_type(*refresh, TokenType::refresh).ok());
  }
}

TEST(TokenVerifier, TypeChecksUseFlaskJwtExtendedTexts) {
  Deployment d(JwsAlgorithm::es256);
  const auto pair = d.issue();
  const auto access = d.verify(pair.access.token).value();
  const auto refresh = d.verify(pair.refresh.token).value();
  auto wrong = check_token_type(refresh, TokenType::access);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().client_text, "Only non-refresh tokens are allowed");
  EXPECT_TRUE(wrong.error().is(TokenErrc::wrong_type));
  EXPECT_EQ(check_token_type(access, TokenType::refresh).error().client_text,
            "Only refresh tokens are allowed");
  EXPECT_EQ(token_error_reply(wrong.error())->status, 422);
}

// J1
TEST(TokenVerifier, AlgNoneIsRejected) {
  for (const auto alg : kAll) {
    Deployment d(alg);
    const std::string payload = b64(boost::json::serialize(d.claims()));
    for (const char* none : {"none", "None", "NONE", "nOnE"}) {
      const std::string header = b64(R"({"alg":")" + std::string(none) + R"(","typ":"JWT"})");
      EXPECT_EQ(d.error_of(header + "." + payload + "."), "The specified alg value is not allowed");
      EXPECT_EQ(code(d.verify(header + "." + payload + ".")), TokenErrc::alg_not_allowed);
      EXPECT_EQ(d.error_of(header + "." + payload), "Not enough segments");
    }
  }
}

// J2
TEST(TokenVerifier, NullStrippedAndBrokenSignaturesAreRejected) {
  for (const auto alg : kAll) {
    Deployment d(alg);
    const std::string token = d.issue().access.token;
    const std::string input = token.substr(0, token.rfind('.'));
    EXPECT_EQ(d.error_of(input + "."), "Signature verification failed");
    EXPECT_EQ(code(d.verify(input + ".")), TokenErrc::bad_signature);
    EXPECT_EQ(d.error_of(input), "Not enough segments");
    EXPECT_EQ(d.error_of(input + ".AAAA"), "Signature verification failed");
    EXPECT_NE(d.error_of(token.substr(0, token.size() - 4)), "<ok>");
    std::string flipped = token;
    const std::size_t middle = input.size() + 10;
    flipped[middle] = flipped[middle] == 'A' ? 'B' : 'A';
    EXPECT_EQ(d.error_of(flipped), "Signature verification failed");
    EXPECT_EQ(d.error_of(token), "<ok>") << "the valid token is unaffected";
  }
}

// J3
TEST(TokenVerifier, WeakHmacSecretsDoNotVerify) {
  Deployment d(JwsAlgorithm::hs256);
  for (const char* weak : {"", "secret", "top_secret", "jwt", "changeme"}) {
    auto key = JwsKey::hmac(weak, true);
    if (!key) continue;  // "" cannot even be made into a key
    EXPECT_EQ(d.error_of(craft(R"({"alg":"HS256","typ":"JWT"})", d.claims(), *key)),
              "Signature verification failed")
        << weak;
  }
  // The empty secret, by hand.
  const std::string input =
      b64(R"({"alg":"HS256"})") + "." + b64(boost::json::serialize(d.claims()));
  EXPECT_EQ(d.error_of(input + "." + b64(std::string(32, '\0'))), "Signature verification failed");
  // The right secret does verify, with or without a kid.
  auto right = JwsKey::hmac(test::fixture_hmac_secret()).value();
  EXPECT_EQ(d.error_of(craft(R"({"alg":"HS256","typ":"JWT"})", d.claims(), right)), "<ok>");
  EXPECT_EQ(d.error_of(craft(R"({"alg":"HS256","kid":"../../dev/null"})", d.claims(), right)),
            "<ok>");
  // HS384/HS512 are not the configured algorithm.
  EXPECT_EQ(d.error_of(craft(R"({"alg":"HS512"})", d.claims(), right)),
            "The specified alg value is not allowed");
}

// J4
TEST(TokenVerifier, AlgorithmConfusionWithPublicKeyBytesIsRejected) {
  for (const auto alg : kAsymmetric) {
    Deployment d(alg);
    const auto& key = fixture_key(alg);
    const std::string pem = key.public_pem().value();
    std::string crlf;
    for (const char c : pem) {
      if (c == '\n') crlf += '\r';
      crlf += c;
    }
    const std::string jwk = boost::json::serialize(crypto::public_jwk(key, d.kid()).value());
    for (const std::string& secret :
         {pem, pem.substr(0, pem.size() - 1), crlf, jwk, std::string(key.private_pem().value())}) {
      auto hmac = JwsKey::hmac(secret, true).value();
      for (const char* hs : {"HS256", "HS384", "HS512"}) {
        const std::string header =
            R"({"alg":")" + std::string(hs) + R"(","kid":")" + d.kid() + "\"}";
        auto result = d.verify(craft(header, d.claims(), hmac));
        EXPECT_EQ(code(result), TokenErrc::alg_not_allowed);
        EXPECT_EQ(result ? "" : result.error().client_text,
                  "The specified alg value is not allowed");
      }
    }
  }
}

// J5, J6. Refused before any key work; the client sees what PyJWT 2.6 under the original answered
// for such a forged token (it checks none of these rules), the log detail names the rule.
TEST(TokenVerifier, KeyCarryingHeadersAreRejected) {
  const auto rejected = [](const Result<TokenClaims>& result, const std::string& detail) {
    EXPECT_EQ(code(result), TokenErrc::unsupported_header) << detail;
    EXPECT_EQ(result ? "" : result.error().client_text, "Signature verification failed");
    EXPECT_EQ(result ? "" : result.error().detail, detail);
  };
  for (const auto alg : kAsymmetric) {
    Deployment d(alg);
    const auto& attacker = fixture_key(alg, 1);
    const std::string attacker_jwk = boost::json::serialize(crypto::public_jwk(attacker).value());
    const std::string alg_name(crypto::jws_algorithm_name(alg));
    rejected(d.verify(craft(R"({"alg":")" + alg_name + R"(","kid":")" + d.kid() + R"(","jwk":)" +
                                attacker_jwk + "}",
                            d.claims(), attacker)),
             "Unsupported header parameter: jwk");
    for (const char* param : {"jku", "x5u"}) {
      rejected(d.verify(craft(header_for(d, std::string(R"(,")") + param +
                                                R"(":"http://127.0.0.1:9/jwks.json")"),
                              d.claims(), fixture_key(alg))),
               "Unsupported header parameter: " + std::string(param));
    }
    rejected(d.verify(craft(header_for(d, R"(,"x5c":["MIIB"])"), d.claims(), fixture_key(alg))),
             "Unsupported header parameter: x5c");
    rejected(d.verify(craft(header_for(d, R"(,"crit":["exp"])"), d.claims(), fixture_key(alg))),
             "Unsupported critical extension: exp");
    // The attacker's own key under the real kid, without any key header: just a bad signature.
    EXPECT_EQ(d.error_of(craft(header_for(d), d.claims(), attacker)),
              "Signature verification failed");
  }
}

// J7
TEST(TokenVerifier, KidInjectionIsRejectedQuicklyWithoutSideEffects) {
  Deployment d(JwsAlgorithm::es256);
  const auto& key = fixture_key(JwsAlgorithm::es256);
  const std::string big(10 * 1024, 'k');
  const auto start = std::chrono::steady_clock::now();
  for (const std::string& kid :
       {std::string(""), std::string("../../../../../../dev/null"), std::string("/dev/null"),
        std::string("|sleep 10"), std::string("x' UNION SELECT '1';--"), big,
        std::string("6f1c2d3e-0000-4000-8000-000000000000"), std::string("a\\u0000b"),
        std::string("a\\r\\nb")}) {
    auto result = d.verify(craft(R"({"alg":"ES256","kid":")" + kid + "\"}", d.claims(), key));
    EXPECT_EQ(code(result), TokenErrc::unknown_kid) << kid.substr(0, 40);
    EXPECT_EQ(result ? "" : result.error().client_text, "Unknown key ID");
  }
  for (const char* kid : {"123", "null", "{}", "[]", "true"}) {
    auto result =
        d.verify(craft(R"({"alg":"ES256","kid":)" + std::string(kid) + "}", d.claims(), key));
    EXPECT_EQ(result ? "" : result.error().client_text, "Signature verification failed") << kid;
    EXPECT_EQ(result ? "" : result.error().detail, "Key ID header parameter must be a string");
  }
  // The algorithm is checked first, as PyJWT does.
  EXPECT_EQ(d.error_of(craft(R"({"alg":"RS256","kid":1})", d.claims(), key)),
            "The specified alg value is not allowed");
  EXPECT_EQ(d.error_of(craft(R"({"alg":"ES256"})", d.claims(), key)), "Unknown key ID") << "no kid";
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_EQ(d.store.loads.load(), 1) << "verify() never touches the store";
}

// J8
TEST(TokenVerifier, EcdsaSpecificSignaturesAreRejected) {
  Deployment d(JwsAlgorithm::es256);
  const std::string token = d.issue().access.token;
  const std::string input = token.substr(0, token.rfind('.'));
  EXPECT_EQ(d.error_of(input + "." + b64(std::string(64, '\0'))), "Signature verification failed");
  const auto raw = crypto::base64url_decode(token.substr(token.rfind('.') + 1)).value();
  EXPECT_EQ(d.error_of(input + "." + b64(crypto::ecdsa_raw_to_der(raw).value())),
            "Signature verification failed");
  EXPECT_EQ(d.error_of(input + "." + b64(raw + std::string(1, '\0'))),
            "Signature verification failed");
}

// J9
TEST(TokenVerifier, NonCanonicalEncodingsAreRejected) {
  Deployment d(JwsAlgorithm::es256);
  const std::string token = d.issue().access.token;
  const auto first_dot = token.find('.');
  const auto last_dot = token.rfind('.');
  EXPECT_EQ(d.error_of(token + "="), "Invalid crypto padding");
  EXPECT_EQ(d.error_of(token + "=="), "Invalid crypto padding");
  EXPECT_EQ(d.error_of(token.substr(0, first_dot) + "=" + token.substr(first_dot)),
            "Invalid header padding");
  // A 64-byte signature ends in a character with 4 spare bits: changing only those must fail.
  std::string spare = token;
  const char last = spare.back();
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  spare.back() = alphabet[(alphabet.find(last) & ~0xF) | ((alphabet.find(last) + 1) & 0xF)];
  EXPECT_EQ(d.error_of(spare), "Invalid crypto padding");
  std::string standard = token;
  for (auto& c : standard) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  if (standard != token) {
    EXPECT_NE(d.error_of(standard), "<ok>");
  }
  std::string spaced = token;
  spaced.insert(last_dot + 5, " ");
  EXPECT_EQ(d.error_of(spaced), "Invalid crypto padding");
  EXPECT_EQ(d.error_of(token.substr(0, 20) + "\n" + token.substr(20)), "Invalid header padding");
  // The header re-serialised with another member order: the signature no longer matches.
  const std::string reordered =
      b64(R"({"typ":"JWT","kid":")" + d.kid() + R"(","alg":"ES256"})") + token.substr(first_dot);
  EXPECT_EQ(d.error_of(reordered), "Signature verification failed");
}

// J10 (a)
TEST(TokenVerifier, ExpiryAndNotBeforeWithAFakeClock) {
  Deployment d(JwsAlgorithm::es256);
  const auto pair = d.issue();
  d.clock.advance(std::chrono::hours(1) - std::chrono::seconds(1));
  EXPECT_EQ(d.error_of(pair.access.token), "<ok>");
  d.clock.advance(std::chrono::seconds(7));  // past exp + 5 s leeway
  auto expired = d.verify(pair.access.token);
  EXPECT_EQ(code(expired), TokenErrc::expired);
  const auto reply = token_error_reply(expired.error());
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 401);
  EXPECT_EQ(reply->msg, "Token has expired");
  EXPECT_EQ(d.error_of(pair.refresh.token), "<ok>") << "the refresh token lives 30 days";
  d.clock.advance(std::chrono::hours(24 * 30));
  EXPECT_EQ(d.error_of(pair.refresh.token), "Token has expired");

  Deployment e(JwsAlgorithm::eddsa);
  auto claims = e.claims();
  claims["nbf"] = e.clock.seconds() + 120;
  const std::string future = craft(header_for(e), claims, fixture_key(JwsAlgorithm::eddsa));
  EXPECT_EQ(e.error_of(future), "The token is not yet valid (nbf)");
  e.clock.advance(std::chrono::seconds(121));
  EXPECT_EQ(e.error_of(future), "<ok>");
  claims = e.claims();
  claims["exp"] = e.clock.seconds() - 61;
  EXPECT_EQ(e.error_of(craft(header_for(e), claims, fixture_key(JwsAlgorithm::eddsa))),
            "Token has expired");
  claims = e.claims();
  claims["iat"] = e.clock.seconds() + 600;
  EXPECT_EQ(e.error_of(craft(header_for(e), claims, fixture_key(JwsAlgorithm::eddsa))),
            "The token is not yet valid (iat)");
}

// J10 (b), J11: validly signed tokens with bad claims are 422, never accepted.
TEST(TokenVerifier, ValidlySignedTokensWithBadClaims) {
  Deployment d(JwsAlgorithm::rs256);
  const auto& key = fixture_key(JwsAlgorithm::rs256);
  const auto with = [&](const char* name, boost::json::value value) {
    auto claims = d.claims();
    if (value.is_string() && value.as_string() == "<remove>") {
      claims.erase(name);
    } else {
      claims[name] = value;
    }
    auto result = d.verify(craft(header_for(d), claims, key));
    if (result) return std::string("<ok>");
    EXPECT_EQ(token_error_reply(result.error())->status, 422) << name;
    return result.error().client_text;
  };
  EXPECT_EQ(with("exp", "1893459600"), "Expiration Time claim (exp) must be an integer.");
  EXPECT_EQ(with("exp", "<remove>"), "Token is missing the \"exp\" claim");
  EXPECT_EQ(with("exp", boost::json::value(1e300)),
            "Expiration Time claim (exp) must be an integer.");
  EXPECT_EQ(with("sub", "<remove>"), "Missing claim: sub");
  EXPECT_EQ(with("jti", "<remove>"), "Missing claim: jti");
  EXPECT_EQ(with("sub", "admin"), "Invalid claim: sub");
  EXPECT_EQ(with("sub", 1), "Invalid claim: sub");
  EXPECT_EQ(with("type", "<remove>"), "Missing or invalid claim: type");
  EXPECT_EQ(with("iss", "https://other-deployment"), "Invalid issuer");
  EXPECT_EQ(with("iss", "<remove>"), "Token is missing the \"iss\" claim");
  EXPECT_EQ(with("aud", "content-service"), "Invalid audience");
  EXPECT_EQ(with("roles", "admin"), "Invalid claim: roles");
  EXPECT_EQ(with("is_superuser", "true"), "Invalid claim: is_superuser");
  // Payloads that are not a JSON object, or repeat a member.
  EXPECT_EQ(d.error_of(craft(header_for(d), std::string("[1]"), key)),
            "Invalid payload string: must be a json object");
  EXPECT_EQ(d.error_of(craft(header_for(d), std::string("not json"), key)),
            "Invalid payload string: Expecting value: line 1 column 1 (char 0)");
  const std::string twice = R"({"sub":")" + std::string(test::kUserId) +
                            R"(","sub":"00000000-0000-4000-8000-000000000000"})";
  EXPECT_EQ(d.error_of(craft(header_for(d), twice, key)),
            "Invalid payload string: Duplicate key: line 1 column 47 (char 46)");
}

// J11: another deployment's tokens.
TEST(TokenVerifier, TokensOfAnotherDeploymentAreRejected) {
  Deployment a(JwsAlgorithm::es256, 0);
  Deployment b(JwsAlgorithm::es256, 1);
  Deployment c(JwsAlgorithm::es256, 0, "https://other.test");
  EXPECT_EQ(a.error_of(b.issue().access.token), "Unknown key ID");
  // Same kid, other key (a copied header): the signature fails.
  const std::string forged = craft(header_for(a), a.claims(), fixture_key(JwsAlgorithm::es256, 1));
  EXPECT_EQ(a.error_of(forged), "Signature verification failed");
  // Same key, other issuer.
  EXPECT_EQ(a.error_of(c.issue().access.token), "Invalid issuer");
  // Another algorithm family altogether.
  Deployment rs(JwsAlgorithm::rs256);
  EXPECT_EQ(a.error_of(rs.issue().access.token), "The specified alg value is not allowed");
  EXPECT_EQ(rs.error_of(a.issue().access.token), "The specified alg value is not allowed");
  Deployment hs(JwsAlgorithm::hs256);
  EXPECT_EQ(a.error_of(hs.issue().access.token), "The specified alg value is not allowed");
  EXPECT_EQ(hs.error_of(a.issue().access.token), "The specified alg value is not allowed");
}

// J14, J15, J16
TEST(TokenVerifier, DuplicateMembersHugeAndExoticTokens) {
  Deployment d(JwsAlgorithm::es256);
  const std::string payload = b64(boost::json::serialize(d.claims()));
  EXPECT_EQ(d.error_of(b64(R"({"alg":"ES256","alg":"none"})") + "." + payload + "."),
            "Invalid header string: Duplicate key: line 1 column 16 (char 15)");
  EXPECT_EQ(d.error_of(b64(R"({"alg":"none","alg":"ES256"})") + "." + payload + ".AAAA"),
            "Invalid header string: Duplicate key: line 1 column 15 (char 14)");
  EXPECT_EQ(d.error_of(std::string(1024 * 1024, 'A')), "Token is too large");
  EXPECT_EQ(d.error_of(std::string(7 * 1024, 'A') + ".B.C"),
            "Invalid header string: JSON text must be UTF-8: line 1 column 1 (char 0)");
  EXPECT_EQ(d.error_of(std::string(7 * 1024 + 1, 'A') + ".B.C"), "Invalid header padding");
  EXPECT_EQ(d.error_of(b64(std::string(100000, '[')) + "." + payload + ".AAAA"),
            "Token is too large");
  EXPECT_EQ(d.error_of(b64(std::string(10000, '[')) + "." + payload + ".AAAA"),
            "Invalid header string: Nesting too deep: line 1 column 33 (char 32)");
  // JWE (5 segments) with a PBES2 header: refused before anything is derived.
  const std::string jwe = b64(R"({"alg":"PBES2-HS256+A128KW","enc":"A128GCM","p2c":2000000000})") +
                          ".AAAA.AAAA.AAAA.AAAA";
  EXPECT_EQ(d.error_of(jwe), "Invalid payload padding");
  // JSON serialisation.
  EXPECT_EQ(d.error_of(R"({"payload":"e30","signatures":[]})"), "Not enough segments");
  EXPECT_EQ(d.error_of(""), "Not enough segments");
  EXPECT_EQ(d.error_of(".."), "Invalid header string: Expecting value: line 1 column 1 (char 0)");
}

TEST(TokenVerifier, ErrorRepliesMapToStatusAndText) {
  EXPECT_EQ(token_error_reply(Error(TokenErrc::expired, "Token has expired"))->status, 401);
  EXPECT_EQ(token_error_reply(Error(TokenErrc::revoked))->status, 401);
  EXPECT_EQ(token_error_reply(Error(TokenErrc::revoked))->msg, "Token has been revoked");
  EXPECT_EQ(
      token_error_reply(Error(TokenErrc::bad_signature, "Signature verification failed"))->status,
      422);
  EXPECT_EQ(token_error_reply(Error(TokenErrc::malformed, "Not enough segments"))->msg,
            "Not enough segments");
  EXPECT_FALSE(token_error_reply(Error(InfraErrc::unavailable)).has_value());
}

TEST(TokenVerifier, HmacSwitchOverAcceptsTheOriginalServicesTokens) {
  // A token as flask-jwt-extended 4 writes it: no iss, sid, roles; header without kid.
  test::FakeClock clock;
  auto ring = KeyRing::hmac(clock, test::fixture_hmac_secret()).value();
  TokenVerifier lenient(clock, *ring, VerifierOptions{test::kIssuer, /*require_issuer=*/false});
  TokenVerifier strict(clock, *ring, VerifierOptions{test::kIssuer, /*require_issuer=*/true});
  const auto now = clock.seconds();
  const boost::json::object original{
      {"fresh", false},   {"iat", now},           {"jti", "8f3e2a1c-5b7d-4e9f-a0b1-c2d3e4f5a6b7"},
      {"type", "access"}, {"sub", test::kUserId}, {"nbf", now},
      {"exp", now + 3600}};
  const auto key = JwsKey::hmac(test::fixture_hmac_secret()).value();
  const std::string token = craft(R"({"alg":"HS256","typ":"JWT"})", original, key);
  auto accepted = lenient.verify(token);
  ASSERT_TRUE(accepted.ok()) << accepted.error().detail;
  EXPECT_FALSE(accepted->sid.has_value());
  EXPECT_EQ(strict.verify(token).error().client_text, "Token is missing the \"iss\" claim");
}

}  // namespace
}  // namespace authsvc::tokens
