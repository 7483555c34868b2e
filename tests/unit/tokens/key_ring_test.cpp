// KeyRing over a fake store: first start, races, rotation, retirement, reload, JWKS, HS256.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/json/parse.hpp>
#include <chrono>
#include <set>

#include "crypto/crypto_errc.hpp"
#include "token_test_support.hpp"

namespace authsvc::tokens {
namespace {

using crypto::JwsAlgorithm;
using test::run_sync;

class KeyRingTest : public ::testing::Test {
 protected:
  std::unique_ptr<KeyRing> make_ring(JwsAlgorithm alg = JwsAlgorithm::es256) {
    KeyRingOptions options;
    options.algorithm = alg;
    options.retired_key_lifetime = std::chrono::hours(24 * 30);
    return std::make_unique<KeyRing>(clock_, store_, options);
  }
  std::set<std::string> jwks_kids(const KeyRing& ring) {
    std::set<std::string> kids;
    const auto jwks = ring.jwks();
    for (const auto& key : jwks.at("keys").as_array()) {
      kids.insert(std::string(key.as_object().at("kid").as_string()));
    }
    return kids;
  }

  test::FakeClock clock_;
  test::FakeKeyStore store_;
  boost::asio::io_context io_;
};

TEST_F(KeyRingTest, EnsureKeyGeneratesOnceAndInstancesShareIt) {
  auto first = make_ring();
  EXPECT_FALSE(first->signer().has_value());
  ASSERT_TRUE(run_sync(io_, first->ensure_key()).ok());
  ASSERT_TRUE(first->signer().has_value());
  const std::string kid = first->signer()->kid;
  EXPECT_EQ(kid, crypto::jwk_thumbprint(first->signer()->key).value())
      << "kid is the RFC 7638 thumbprint";
  EXPECT_EQ(store_.rows().size(), 1u);

  auto second = make_ring();
  ASSERT_TRUE(run_sync(io_, second->ensure_key()).ok());
  EXPECT_EQ(second->signer()->kid, kid);
  EXPECT_EQ(store_.rows().size(), 1u) << "the second instance reuses the stored key";
  ASSERT_TRUE(run_sync(io_, first->ensure_key()).ok());
  EXPECT_EQ(store_.rows().size(), 1u);
}

TEST_F(KeyRingTest, EnsureKeyLosingARaceUsesTheWinnersKey) {
  const auto winner = test::stored_key(test::fixture_key(JwsAlgorithm::es256), clock_.now());
  store_.before_insert = [&] {
    store_.before_insert = nullptr;
    ASSERT_TRUE(store_.add(winner).ok());  // the other instance inserts first
  };
  auto ring = make_ring();
  ASSERT_TRUE(run_sync(io_, ring->ensure_key()).ok());
  EXPECT_EQ(ring->signer()->kid, winner.kid);
  EXPECT_EQ(store_.rows().size(), 1u);
}

TEST_F(KeyRingTest, EnsureKeyForAnotherAlgorithmLeavesTheOthersAlone) {
  ASSERT_TRUE(
      store_.add(test::stored_key(test::fixture_key(JwsAlgorithm::rs256), clock_.now())).ok());
  auto ring = make_ring(JwsAlgorithm::eddsa);
  ASSERT_TRUE(run_sync(io_, ring->ensure_key()).ok());
  EXPECT_EQ(ring->signer()->key.algorithm(), JwsAlgorithm::eddsa);
  EXPECT_EQ(ring->keys().size(), 1u) << "the RS256 row is not part of an EdDSA ring";
  EXPECT_EQ(store_.rows().size(), 2u);
}

TEST_F(KeyRingTest, StoreOutageIsAnInfrastructureError) {
  store_.fail = true;
  auto ring = make_ring();
  auto result = run_sync(io_, ring->ensure_key());
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.error().is(InfraErrc::unavailable));
}

TEST_F(KeyRingTest, RotationRetiresTheOldKeyWhichVerifiesUntilNotAfter) {
  auto ring = make_ring();
  ASSERT_TRUE(run_sync(io_, ring->ensure_key()).ok());
  const std::string old_kid = ring->signer()->kid;
  IssuerOptions issuer_options{test::kIssuer};
  TokenIssuer issuer(clock_, *ring, issuer_options);
  TokenVerifier verifier(clock_, *ring, VerifierOptions{test::kIssuer});
  const auto old_pair = issuer.issue({test::kUserId, test::kSessionId, {}, false}).value();

  clock_.advance(std::chrono::hours(1));
  auto rotated = run_sync(io_, ring->rotate());
  ASSERT_TRUE(rotated.ok()) << rotated.error().describe();
  EXPECT_NE(*rotated, old_kid);
  EXPECT_EQ(ring->signer()->kid, *rotated);
  EXPECT_EQ(jwks_kids(*ring), (std::set<std::string>{old_kid, *rotated}));
  EXPECT_TRUE(verifier.verify(old_pair.refresh.token).ok()) << "retired keys still verify";
  const auto new_pair = issuer.issue({test::kUserId, test::kSessionId, {}, false}).value();
  EXPECT_TRUE(verifier.verify(new_pair.access.token).ok());

  const auto rows = store_.rows();
  ASSERT_EQ(rows.size(), 2u);
  for (const auto& row : rows) {
    if (row.kid == old_kid) {
      EXPECT_EQ(row.retired_at, clock_.now());
      EXPECT_EQ(row.not_after, clock_.now() + std::chrono::hours(24 * 30));
    } else {
      EXPECT_FALSE(row.retired_at.has_value());
    }
  }

  // Past not_after the old key is gone from the JWKS and from verification.
  clock_.advance(std::chrono::hours(24 * 30) + std::chrono::seconds(1));
  EXPECT_EQ(jwks_kids(*ring), (std::set<std::string>{*rotated}));
  EXPECT_FALSE(ring->verifier(old_kid).has_value());
  EXPECT_TRUE(ring->verifier(*rotated).has_value());

  // The next rotation deletes the expired row.
  auto again = run_sync(io_, ring->rotate());
  ASSERT_TRUE(again.ok());
  std::set<std::string> stored;
  for (const auto& row : store_.rows()) stored.insert(row.kid);
  EXPECT_EQ(stored, (std::set<std::string>{*rotated, *again}));
}

TEST_F(KeyRingTest, UnknownKidReloadIsRateLimitedAndPicksUpAnotherInstancesRotation) {
  auto a = make_ring();
  auto b = make_ring();
  ASSERT_TRUE(run_sync(io_, a->ensure_key()).ok());
  ASSERT_TRUE(run_sync(io_, b->ensure_key()).ok());
  TokenIssuer issuer_a(clock_, *a, IssuerOptions{test::kIssuer});
  TokenVerifier verifier_b(clock_, *b, VerifierOptions{test::kIssuer});

  clock_.advance(std::chrono::seconds(5));
  ASSERT_TRUE(run_sync(io_, a->rotate()).ok());
  const auto token =
      issuer_a.issue({test::kUserId, test::kSessionId, {}, false}).value().access.token;
  EXPECT_EQ(verifier_b.verify(token).error().client_text, "Unknown key ID") << "b has not reloaded yet";

  const int loads_before = store_.loads.load();
  auto verified = run_sync(io_, verifier_b.verify_async(token));
  ASSERT_TRUE(verified.ok()) << verified.error().detail;
  EXPECT_EQ(store_.loads.load(), loads_before + 1);

  // Garbage kids: at most one reload per interval.
  const std::string garbage = test::craft(R"({"alg":"ES256","kid":"nope"})", std::string("{}"),
                                          test::fixture_key(JwsAlgorithm::es256));
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(run_sync(io_, verifier_b.verify_async(garbage)).error().client_text, "Unknown key ID");
  }
  EXPECT_EQ(store_.loads.load(), loads_before + 1) << "within the same second: no reload";
  clock_.advance(std::chrono::milliseconds(1001));
  EXPECT_EQ(run_sync(io_, verifier_b.verify_async(garbage)).error().client_text, "Unknown key ID");
  EXPECT_EQ(run_sync(io_, verifier_b.verify_async(garbage)).error().client_text, "Unknown key ID");
  EXPECT_EQ(store_.loads.load(), loads_before + 2);

  // A failed reload is an outage (fail closed, 5xx), not a token error.
  clock_.advance(std::chrono::seconds(2));
  store_.fail = true;
  auto outage = run_sync(io_, verifier_b.verify_async(garbage));
  ASSERT_FALSE(outage.ok());
  EXPECT_TRUE(outage.error().is(InfraErrc::unavailable));
  EXPECT_FALSE(token_error_reply(outage.error()).has_value());
}

TEST_F(KeyRingTest, ConcurrentUnknownKidRequestsShareOneReload) {
  auto ring = make_ring();
  ASSERT_TRUE(run_sync(io_, ring->ensure_key()).ok());
  TokenVerifier verifier(clock_, *ring, VerifierOptions{test::kIssuer});
  const std::string garbage = test::craft(R"({"alg":"ES256","kid":"nope"})", std::string("{}"),
                                          test::fixture_key(JwsAlgorithm::es256));
  clock_.advance(std::chrono::seconds(2));
  store_.slow = true;
  const int loads_before = store_.loads.load();
  int done = 0;
  for (int i = 0; i < 10; ++i) {
    boost::asio::co_spawn(
        io_,
        [&]() -> boost::asio::awaitable<void> {
          auto result = co_await verifier.verify_async(garbage);
          EXPECT_FALSE(result.ok());
          ++done;
        },
        boost::asio::detached);
  }
  io_.restart();
  io_.run();
  EXPECT_EQ(done, 10);
  EXPECT_EQ(store_.loads.load(), loads_before + 1);
}

TEST_F(KeyRingTest, DamagedRowsAreSkipped) {
  auto broken = test::stored_key(test::fixture_key(JwsAlgorithm::es256, 1), clock_.now(),
                                 clock_.now(), clock_.now() + std::chrono::hours(1));
  broken.private_pem = "garbage";
  ASSERT_TRUE(store_.add(broken).ok());
  ASSERT_TRUE(
      store_.add(test::stored_key(test::fixture_key(JwsAlgorithm::es256), clock_.now())).ok());
  auto ring = make_ring();
  ASSERT_TRUE(run_sync(io_, ring->reload()).ok());
  EXPECT_EQ(ring->keys().size(), 1u);
  EXPECT_TRUE(ring->signer().has_value());
}

TEST_F(KeyRingTest, JwksJsonShape) {
  auto ring = make_ring(JwsAlgorithm::rs256);
  ASSERT_TRUE(
      store_.add(test::stored_key(test::fixture_key(JwsAlgorithm::rs256), clock_.now())).ok());
  ASSERT_TRUE(run_sync(io_, ring->reload()).ok());
  const auto jwks = boost::json::parse(ring->jwks_json()).as_object();
  ASSERT_EQ(jwks.at("keys").as_array().size(), 1u);
  const auto& key = jwks.at("keys").as_array()[0].as_object();
  EXPECT_EQ(key.at("kty").as_string(), "RSA");
  EXPECT_EQ(key.at("alg").as_string(), "RS256");
  EXPECT_EQ(key.at("use").as_string(), "sig");
  EXPECT_EQ(key.at("kid").as_string(), ring->signer()->kid);
  EXPECT_FALSE(key.contains("d"));
}

TEST_F(KeyRingTest, HmacRing) {
  auto weak = KeyRing::hmac(clock_, "top_secret");
  ASSERT_FALSE(weak.ok());
  EXPECT_TRUE(weak.error().is(crypto::CryptoErrc::weak_key));
  EXPECT_TRUE(KeyRing::hmac(clock_, "top_secret", /*allow_insecure=*/true).ok());

  auto ring = KeyRing::hmac(clock_, test::fixture_hmac_secret()).value();
  EXPECT_TRUE(ring->is_hmac());
  EXPECT_EQ(ring->algorithm(), JwsAlgorithm::hs256);
  EXPECT_EQ(ring->jwks_json(), R"({"keys":[]})");
  EXPECT_EQ(ring->signer()->kid, "");
  EXPECT_TRUE(ring->verifier(std::nullopt).has_value());
  EXPECT_TRUE(ring->verifier("anything").has_value());
  EXPECT_TRUE(run_sync(io_, ring->ensure_key()).ok());
  EXPECT_TRUE(run_sync(io_, ring->reload()).ok());
  EXPECT_FALSE(run_sync(io_, ring->rotate()).ok());
  EXPECT_FALSE(run_sync(io_, ring->reload_for_unknown_kid()).value());
}

}  // namespace
}  // namespace authsvc::tokens
