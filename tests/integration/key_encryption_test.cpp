// Signing keys at rest (issue 13 item 11): sealed with the key-encryption key by the service and by
// `auth db upgrade` (which also seals plaintext rows and re-seals them during a rotation of that
// key), never opened with a wrong key, and PostgreSQL refused without one unless the operator
// explicitly accepts plaintext keys.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "common/ids.hpp"
#include "storage/sqlite/sqlite_database.hpp"
#include "support/api_client.hpp"
#include "support/async.hpp"
#include "support/process.hpp"
#include "support/services.hpp"
#include "support/test_app.hpp"

namespace authsvc::test {
namespace {

constexpr const char* kPassword = "sealed-keys-password-1";

// The CLI on the embedded database of `dir`, with exactly the key-encryption settings in `env`.
CommandResult auth_in(const TempDir& dir, const std::string& args, const std::string& env = {}) {
  return run_command("cd '" + dir.path().string() +
                     "' && env -u DATABASE_URL -u REDIS_URL -u DB_HOST -u AUTH_KEY_ENCRYPTION_KEY "
                     "-u AUTH_KEY_ENCRYPTION_KEY_FILE -u AUTH_KEY_ENCRYPTION_KEY_PREVIOUS "
                     "SQLITE_PATH=auth.db " +
                     env + " " + auth_binary() + " " + args);
}

std::vector<std::string> stored_private_keys(const TempDir& dir) {
  static boost::asio::io_context io;
  storage::SqliteDatabase db((dir.path() / "auth.db").string());
  auto rows = run_sync(io, db.execute("SELECT private_pem FROM signing_key", {}));
  EXPECT_TRUE(rows) << rows.error().describe();
  std::vector<std::string> out;
  if (rows) {
    for (const auto& row : rows->rows) out.push_back(row[0].value_or(""));
  }
  return out;
}

bool all_sealed_by(const std::vector<std::string>& stored, const std::string& prefix) {
  return !stored.empty() && std::all_of(stored.begin(), stored.end(), [&](const std::string& s) {
    return s.starts_with(prefix) && s.find("PRIVATE KEY") == std::string::npos;
  });
}

TEST(KeyEncryption, KeysAreSealedAtRestAndAWrongKeyOpensNothing) {
  TempDir dir;
  const std::string first = random_hex(32);
  const std::string second = random_hex(32);
  // A ring created before any key-encryption key (embedded mode may run without one).
  ASSERT_EQ(auth_in(dir, "keys rotate").exit_code, 0);
  ASSERT_EQ(auth_in(dir, "keys rotate").exit_code, 0);  // an active and a retired key
  auto stored = stored_private_keys(dir);
  ASSERT_EQ(stored.size(), 2U);
  EXPECT_NE(stored.front().find("PRIVATE KEY"), std::string::npos) << "plaintext so far";

  const auto sealing = auth_in(dir, "db upgrade", "AUTH_KEY_ENCRYPTION_KEY=" + first);
  ASSERT_EQ(sealing.exit_code, 0) << sealing.err;
  EXPECT_NE(sealing.out.find("sealed 2 signing key(s)"), std::string::npos) << sealing.out;
  stored = stored_private_keys(dir);
  EXPECT_TRUE(all_sealed_by(stored, "aes256gcm:")) << stored.front();
  const auto again = auth_in(dir, "db upgrade", "AUTH_KEY_ENCRYPTION_KEY=" + first);
  EXPECT_EQ(again.out.find("sealed"), std::string::npos) << "nothing left to seal: " << again.out;

  const auto without = auth_in(dir, "keys rotate");
  EXPECT_EQ(without.exit_code, 1);
  EXPECT_NE(without.err.find("AUTH_KEY_ENCRYPTION_KEY is needed"), std::string::npos)
      << without.err;
  const auto wrong = auth_in(dir, "keys rotate", "AUTH_KEY_ENCRYPTION_KEY=" + second);
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_NE(wrong.err.find("not configured"), std::string::npos) << wrong.err;

  // Rotation of the key-encryption key: the new one seals, the previous one still opens, then
  // `db upgrade` re-seals every row under the new one.
  const auto resealed =
      auth_in(dir, "db upgrade",
              "AUTH_KEY_ENCRYPTION_KEY=" + second + " AUTH_KEY_ENCRYPTION_KEY_PREVIOUS=" + first);
  ASSERT_EQ(resealed.exit_code, 0) << resealed.err;
  EXPECT_NE(resealed.out.find("sealed 2 signing key(s)"), std::string::npos) << resealed.out;
  EXPECT_EQ(auth_in(dir, "keys rotate", "AUTH_KEY_ENCRYPTION_KEY=" + first).exit_code, 1)
      << "the old key alone no longer opens them";

  // And the service signs with them.
  auto config = embedded_test_config(dir);
  config.sqlite_path = (dir.path() / "auth.db").string();
  config.key_encryption_key = second;
  TestApp app(config);
  ApiClient api(app.port());
  const auto email = ApiClient::unique_email("sealed");
  api.register_user(email, kPassword);
  EXPECT_EQ(api.verify(api.login_ok(email, kPassword).access).status, 200U);
}

TEST(KeyEncryption, PostgresWithoutAKeyEncryptionKeyIsRefusedUnlessAccepted) {
  AUTH_REQUIRE_POSTGRES(pg);
  AUTH_REQUIRE_REDIS(redis);
  TempDir dir;
  auto config = production_test_config(dir, pg, redis);
  config.key_encryption_key.clear();
  config.allow_plaintext_signing_keys = false;
  try {
    TestApp refused(config);
    ADD_FAILURE() << "started with plaintext signing keys in PostgreSQL";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("AUTH_KEY_ENCRYPTION_KEY"), std::string::npos) << e.what();
  }
  const auto cli =
      auth_in(dir, "serve --port 0", "DATABASE_URL='" + pg + "' REDIS_URL='" + redis + "'");
  EXPECT_EQ(cli.exit_code, 1);
  EXPECT_NE(cli.err.find("AUTH_ALLOW_PLAINTEXT_SIGNING_KEYS"), std::string::npos) << cli.err;
  const auto malformed =
      auth_in(dir, "db upgrade", "DATABASE_URL='" + pg + "' AUTH_KEY_ENCRYPTION_KEY=short");
  EXPECT_EQ(malformed.exit_code, 1);
  EXPECT_NE(malformed.err.find("64 hex digits"), std::string::npos) << malformed.err;
}

}  // namespace
}  // namespace authsvc::test
