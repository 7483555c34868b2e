// The key ring over a real SQLite database (migration 0003, SigningKeyRepository, SqlKeyStore):
// two "instances" share one database file.
#include "app/sql_key_store.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <memory>

#include "storage/migrations.hpp"
#include "storage/signing_key_repository.hpp"
#include "storage/sqlite/sqlite_database.hpp"
#include "support/async.hpp"
#include "unit/storage/sqlite_temp_dir.hpp"
#include "unit/tokens/token_test_support.hpp"

namespace authsvc::tokens {
namespace {

using crypto::JwsAlgorithm;
using test::run_sync;

// One service instance: its own connection pool, repository, store and ring.
struct Instance {
  Instance(const std::string& path, const Clock& clock, JwsAlgorithm alg)
      : db(std::make_unique<storage::SqliteDatabase>(path)), repository(*db), store(repository) {
    KeyRingOptions options;
    options.algorithm = alg;
    options.retired_key_lifetime = std::chrono::hours(24 * 30);
    ring = std::make_unique<KeyRing>(clock, store, options);
  }
  std::unique_ptr<storage::SqliteDatabase> db;
  storage::SigningKeyRepository repository;
  app::SqlKeyStore store;
  std::unique_ptr<KeyRing> ring;
};

class KeyRingSqliteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::SqliteDatabase db(path_);
    auto upgraded = run_sync(io_, storage::upgrade(db));
    ASSERT_TRUE(upgraded.ok()) << upgraded.error().describe();
  }

  test::SqliteTempDir dir_;
  std::string path_ = dir_.file("auth.sqlite");
  test::FakeClock clock_;
  boost::asio::io_context io_;
};

TEST_F(KeyRingSqliteTest, InstancesShareTheFirstKeyAndFollowRotations) {
  Instance a(path_, clock_, JwsAlgorithm::eddsa);
  Instance b(path_, clock_, JwsAlgorithm::eddsa);
  ASSERT_TRUE(run_sync(io_, a.ring->ensure_key()).ok());
  ASSERT_TRUE(run_sync(io_, b.ring->ensure_key()).ok());
  ASSERT_TRUE(a.ring->signer().has_value());
  EXPECT_EQ(a.ring->signer()->kid, b.ring->signer()->kid);

  TokenIssuer issuer_a(clock_, *a.ring, IssuerOptions{test::kIssuer});
  TokenVerifier verifier_b(clock_, *b.ring, VerifierOptions{test::kIssuer});
  const auto before = issuer_a.issue({test::kUserId, test::kSessionId, {"user"}, false}).value();
  EXPECT_TRUE(verifier_b.verify(before.access.token).ok());

  clock_.advance(std::chrono::minutes(10));
  auto rotated = run_sync(io_, a.ring->rotate());
  ASSERT_TRUE(rotated.ok()) << rotated.error().describe();
  const auto after = issuer_a.issue({test::kUserId, test::kSessionId, {"user"}, false}).value();
  EXPECT_EQ(verifier_b.verify(after.access.token).error().client_text, "Unknown key ID");
  auto reloaded = run_sync(io_, verifier_b.verify_async(after.access.token));
  ASSERT_TRUE(reloaded.ok()) << reloaded.error().detail;
  EXPECT_TRUE(verifier_b.verify(before.refresh.token).ok()) << "the retired key still verifies";
  EXPECT_EQ(b.ring->jwks().at("keys").as_array().size(), 2u);

  // What the table holds.
  auto rows = run_sync(io_, a.repository.load_all());
  ASSERT_TRUE(rows.ok()) << rows.error().describe();
  ASSERT_EQ(rows->size(), 2u);
  int active = 0;
  for (const auto& row : *rows) {
    EXPECT_EQ(row.alg, "EdDSA");
    EXPECT_TRUE(row.private_pem.starts_with("-----BEGIN PRIVATE KEY-----"));
    if (!row.retired_at) {
      ++active;
      EXPECT_EQ(row.kid, *rotated);
      EXPECT_FALSE(row.not_after.has_value());
    } else {
      EXPECT_EQ(*row.retired_at, clock_.now());
      EXPECT_EQ(*row.not_after, clock_.now() + std::chrono::hours(24 * 30));
    }
  }
  EXPECT_EQ(active, 1);
}

TEST_F(KeyRingSqliteTest, TheDatabaseAllowsOneActiveKeyPerAlgorithm) {
  Instance a(path_, clock_, JwsAlgorithm::es256);
  const auto first = test::stored_key(test::fixture_key(JwsAlgorithm::es256, 0), clock_.now());
  const auto second = test::stored_key(test::fixture_key(JwsAlgorithm::es256, 1), clock_.now());
  ASSERT_TRUE(run_sync(io_, a.store.insert(first)).ok());
  auto clash = run_sync(io_, a.store.insert(second));
  ASSERT_FALSE(clash.ok());
  EXPECT_TRUE(clash.error().is(storage::DbErrc::unique_violation)) << clash.error().describe();
  auto same_kid = run_sync(io_, a.store.insert(first));
  EXPECT_TRUE(same_kid.error().is(storage::DbErrc::unique_violation));
  // Another algorithm has its own active key.
  const auto ed = test::stored_key(test::fixture_key(JwsAlgorithm::eddsa), clock_.now());
  EXPECT_TRUE(run_sync(io_, a.store.insert(ed)).ok());
  // A retired key may sit next to the active one.
  const auto retired = test::stored_key(test::fixture_key(JwsAlgorithm::es256, 1), clock_.now(),
                                        clock_.now(), clock_.now() + std::chrono::hours(1));
  EXPECT_TRUE(run_sync(io_, a.store.insert(retired)).ok());
  // A ring losing the first-start race adopts the winner's key.
  ASSERT_TRUE(run_sync(io_, a.ring->ensure_key()).ok());
  EXPECT_EQ(a.ring->signer()->kid, first.kid);
}

TEST_F(KeyRingSqliteTest, RotationDeletesExpiredKeysAndRollsBackOnConflict) {
  Instance a(path_, clock_, JwsAlgorithm::es256);
  ASSERT_TRUE(run_sync(io_, a.ring->ensure_key()).ok());
  const auto first = a.ring->signer()->kid;
  clock_.advance(std::chrono::hours(1));
  const auto second = run_sync(io_, a.ring->rotate()).value();
  clock_.advance(std::chrono::hours(24 * 31));
  const auto third = run_sync(io_, a.ring->rotate()).value();
  auto rows = run_sync(io_, a.repository.load_all()).value();
  std::set<std::string> kids;
  for (const auto& row : rows) kids.insert(row.kid);
  EXPECT_EQ(kids, (std::set<std::string>{second, third}))
      << "the first key expired and was deleted";
  EXPECT_FALSE(kids.contains(first));

  // A rotation whose new key clashes (same kid as an existing row) changes nothing.
  auto existing = test::stored_key(test::fixture_key(JwsAlgorithm::es256, 1), clock_.now());
  existing.kid = third;
  auto failed = run_sync(
      io_, a.repository.rotate(
               "ES256", clock_.now(), clock_.now(),
               storage::SigningKeyRow{
                   existing.kid, existing.alg, existing.private_pem, existing.created_at, {}, {}}));
  ASSERT_FALSE(failed.ok());
  auto unchanged = run_sync(io_, a.repository.load_all()).value();
  ASSERT_EQ(unchanged.size(), 2u);
  for (const auto& row : unchanged) {
    if (row.kid == third) {
      EXPECT_FALSE(row.retired_at.has_value()) << "rolled back";
    }
  }
}

}  // namespace
}  // namespace authsvc::tokens
