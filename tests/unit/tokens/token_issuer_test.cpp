// TokenIssuer: the claims and headers of issued pairs (SPEC 4).
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "common/ids.hpp"
#include "crypto/jws.hpp"
#include "token_test_support.hpp"

namespace authsvc::tokens {
namespace {

using crypto::JwsAlgorithm;

struct Decoded {
  boost::json::object header;
  boost::json::object payload;
};

Decoded decode(const std::string& token) {
  auto parts = crypto::decode_jws(token).value();
  return {parts.header, boost::json::parse(parts.payload).as_object()};
}

TEST(TokenIssuer, AccessAndRefreshClaims) {
  test::Deployment d(JwsAlgorithm::es256);
  const auto start = d.clock.seconds();
  const auto pair = d.issue({"admin"}, true);
  const auto access = decode(pair.access.token);
  const auto refresh = decode(pair.refresh.token);

  EXPECT_EQ(access.header.at("alg").as_string(), "ES256");
  EXPECT_EQ(access.header.at("typ").as_string(), "JWT");
  EXPECT_EQ(access.header.at("kid").as_string(), d.kid());
  EXPECT_EQ(refresh.header.at("kid").as_string(), d.kid());

  const auto& a = access.payload;
  EXPECT_EQ(a.at("fresh").as_bool(), false);
  EXPECT_EQ(a.at("iat").as_int64(), start);
  EXPECT_EQ(a.at("nbf").as_int64(), start);
  EXPECT_EQ(a.at("exp").as_int64(), start + 3600);
  EXPECT_EQ(a.at("type").as_string(), "access");
  EXPECT_EQ(a.at("sub").as_string(), test::kUserId);
  EXPECT_EQ(a.at("iss").as_string(), test::kIssuer);
  EXPECT_EQ(a.at("sid").as_string(), test::kSessionId);
  EXPECT_EQ(a.at("roles").as_array(), (boost::json::array{"admin"}));
  EXPECT_EQ(a.at("is_superuser").as_bool(), true);
  EXPECT_FALSE(a.contains("at"));
  EXPECT_TRUE(is_uuid(a.at("jti").as_string()));
  EXPECT_EQ(a.at("jti").as_string(), pair.access.jti);

  const auto& r = refresh.payload;
  EXPECT_EQ(r.at("type").as_string(), "refresh");
  EXPECT_EQ(r.at("exp").as_int64(), start + 30 * 24 * 3600);
  EXPECT_EQ(r.at("at").as_string(), pair.access.jti);
  EXPECT_EQ(r.at("at_exp").as_int64(), a.at("exp").as_int64()) << "the paired token's own exp";
  EXPECT_EQ(r.at("jti").as_string(), pair.refresh.jti);
  EXPECT_NE(pair.access.jti, pair.refresh.jti);
  EXPECT_FALSE(r.contains("roles"));
  EXPECT_FALSE(r.contains("is_superuser"));
  EXPECT_EQ(r.at("sid").as_string(), test::kSessionId);

  EXPECT_EQ(pair.access.expires_at, d.clock.now() + std::chrono::hours(1));
  EXPECT_EQ(pair.refresh.expires_at, d.clock.now() + std::chrono::hours(24 * 30));
  EXPECT_EQ(pair.issued_at, d.clock.now());
}

TEST(TokenIssuer, FreshJtisAndConfigurableLifetimes) {
  test::FakeClock clock;
  auto ring = KeyRing::hmac(clock, test::fixture_hmac_secret()).value();
  TokenIssuer issuer(clock, *ring,
                     IssuerOptions{"iss", std::chrono::hours(2), std::chrono::hours(24 * 7)});
  const auto one = issuer.issue({test::kUserId, test::kSessionId, {}, false}).value();
  const auto two = issuer.issue({test::kUserId, test::kSessionId, {}, false}).value();
  EXPECT_NE(one.access.jti, two.access.jti);
  EXPECT_EQ(one.access.expires_at, clock.now() + std::chrono::hours(2));
  EXPECT_EQ(one.refresh.expires_at, clock.now() + std::chrono::hours(24 * 7));
  EXPECT_FALSE(decode(one.access.token).header.contains("kid")) << "HS256 tokens carry no kid";
}

TEST(TokenIssuer, NoActiveKeyIsAnInternalError) {
  test::FakeClock clock;
  test::FakeKeyStore store;
  KeyRing ring(clock, store, KeyRingOptions{});
  TokenIssuer issuer(clock, ring, IssuerOptions{"iss"});
  auto result = issuer.issue({test::kUserId, test::kSessionId, {}, false});
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.error().is(InfraErrc::internal));
}

}  // namespace
}  // namespace authsvc::tokens
