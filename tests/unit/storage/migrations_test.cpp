// Migrations (upgrade, status) against SQLite.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "storage/migrations.hpp"
#include "storage/sqlite/sqlite_database.hpp"
#include "support/async.hpp"
#include "unit/storage/sqlite_temp_dir.hpp"

namespace authsvc::storage {
namespace {

namespace asio = boost::asio;

// "0001_original_schema", ... for every embedded SQLite migration.
std::vector<std::string> labels() {
  std::vector<std::string> out;
  auto migrations = embedded_migrations_for(SqlDialect::sqlite);
  if (!migrations) return out;
  for (const auto& m : *migrations) {
    out.push_back(fmt::format("{:04d}_{}", m.version, m.name));
  }
  return out;
}

class SqliteMigrationsTest : public ::testing::Test {
 protected:
  Result<SqlResult> run(std::string sql, std::vector<SqlParam> params = {}) {
    return test::run_sync(io_, db_->execute(sql, std::move(params)));
  }
  std::set<std::string> tables() {
    std::set<std::string> names;
    auto r = run("SELECT name FROM sqlite_schema WHERE type = 'table'");
    if (r.ok()) {
      for (const auto& row : r->rows) names.insert(row.at(0).value_or(""));
    }
    return names;
  }

  test::SqliteTempDir dir_;
  asio::io_context io_;
  std::unique_ptr<SqliteDatabase> db_ = std::make_unique<SqliteDatabase>(dir_.file("auth.sqlite"));
};

TEST_F(SqliteMigrationsTest, UpgradeAppliesEverythingOnceAndIsIdempotent) {
  auto first = test::run_sync(io_, upgrade(*db_));
  ASSERT_TRUE(first.ok()) << first.error().describe();
  EXPECT_FALSE(first->adopted);
  EXPECT_EQ(first->applied, labels());
  ASSERT_GE(first->applied.size(), 2u);
  EXPECT_EQ(first->applied[0], "0001_original_schema");
  EXPECT_EQ(first->applied[1], "0002_auth_service");

  const auto after_first = tables();
  for (const char* table :
       {"user", "profile", "login_histories", "role", "usersroles", "social_account",
        "auth_session", "revoked_token", "audit_event", "schema_migrations"}) {
    EXPECT_TRUE(after_first.contains(table)) << table;
  }
  EXPECT_FALSE(after_first.contains("usersroles_new"));

  auto second = test::run_sync(io_, upgrade(*db_));
  ASSERT_TRUE(second.ok()) << second.error().describe();
  EXPECT_TRUE(second->applied.empty());
  EXPECT_EQ(tables(), after_first);

  auto versions = run("SELECT version, name FROM schema_migrations ORDER BY version");
  ASSERT_TRUE(versions.ok());
  ASSERT_EQ(versions->size(), labels().size());
  EXPECT_EQ(versions->at(0, 0), "1");
  EXPECT_EQ(versions->at(0, 1), "original_schema");
  EXPECT_EQ(versions->at(1, 0), "2");
  EXPECT_EQ(versions->at(1, 1), "auth_service");

  // A fresh SqliteDatabase on the same file sees the same state.
  db_ = std::make_unique<SqliteDatabase>(dir_.file("auth.sqlite"));
  auto third = test::run_sync(io_, upgrade(*db_));
  ASSERT_TRUE(third.ok());
  EXPECT_TRUE(third->applied.empty());
}

TEST_F(SqliteMigrationsTest, StatusListsPendingThenApplied) {
  auto before = test::run_sync(io_, status(*db_));
  ASSERT_TRUE(before.ok()) << before.error().describe();
  ASSERT_EQ(before->size(), labels().size());
  EXPECT_EQ((*before)[0].version, 1);
  EXPECT_EQ((*before)[0].name, "original_schema");
  for (const auto& m : *before) {
    EXPECT_FALSE(m.applied) << m.name;
    EXPECT_FALSE(m.applied_at.has_value());
  }

  ASSERT_TRUE(test::run_sync(io_, upgrade(*db_)).ok());
  auto after = test::run_sync(io_, status(*db_));
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), labels().size());
  for (const auto& m : *after) {
    EXPECT_TRUE(m.applied) << m.name;
    ASSERT_TRUE(m.applied_at.has_value());
    EXPECT_EQ(m.applied_at->size(), std::string("2024-01-01 00:00:00.000000").size())
        << *m.applied_at;
  }

  // A version recorded by a newer binary is listed too.
  ASSERT_TRUE(
      run("INSERT INTO schema_migrations VALUES (9999, 'from_the_future', '2030-01-01 00:00:00')")
          .ok());
  auto newer = test::run_sync(io_, status(*db_));
  ASSERT_TRUE(newer.ok());
  ASSERT_EQ(newer->size(), labels().size() + 1);
  EXPECT_EQ(newer->back().version, 9999);
  EXPECT_EQ(newer->back().name, "from_the_future");
  EXPECT_TRUE(newer->back().applied);
}

TEST_F(SqliteMigrationsTest, SchemaFillsDefaultsLikePostgres) {
  ASSERT_TRUE(test::run_sync(io_, upgrade(*db_)).ok());
  ASSERT_TRUE(run(R"(INSERT INTO "user" (id, email, password_hash) VALUES ($1, $2, $3))",
                  {"u1", " Someone@Example.COM ", "hash"})
                  .ok());
  auto user = run(R"(SELECT email_canonical, has_password, is_superuser, is_active FROM "user")");
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->at(0, 0), "someone@example.com");
  EXPECT_EQ(user->at(0, 1), "1");
  EXPECT_EQ(user->at(0, 2), "0");
  EXPECT_EQ(user->at(0, 3), "1");

  // Canonical emails are unique, whether given or derived.
  auto clash = run(R"(INSERT INTO "user" (id, email, password_hash) VALUES ($1, $2, $3))",
                   {"u2", "someone@example.com", "hash"});
  ASSERT_FALSE(clash.ok());
  EXPECT_TRUE(clash.error().is(DbErrc::unique_violation)) << clash.error().describe();

  for (const char* name : {"admin", "user", "editor"}) {
    ASSERT_TRUE(
        run("INSERT INTO role (id, name) VALUES ($1, $1)", {std::string("r-") + name}).ok());
  }
  auto roles = run("SELECT name, created_seq FROM role ORDER BY created_seq");
  ASSERT_TRUE(roles.ok());
  ASSERT_EQ(roles->size(), 3u);
  EXPECT_EQ(roles->at(0, 0), "r-admin");
  EXPECT_EQ(roles->at(2, 0), "r-editor");
  EXPECT_EQ(roles->at(2, 1), "3");

  ASSERT_TRUE(
      run("INSERT INTO usersroles (id, user_id, role_id) VALUES ('ur1', 'u1', 'r-admin')").ok());
  auto twice = run("INSERT INTO usersroles (id, user_id, role_id) VALUES ('ur2', 'u1', 'r-admin')");
  ASSERT_FALSE(twice.ok());
  EXPECT_TRUE(twice.error().is(DbErrc::unique_violation));
  auto orphan =
      run("INSERT INTO usersroles (id, user_id, role_id) VALUES ('ur3', 'nobody', 'r-admin')");
  ASSERT_FALSE(orphan.ok());
  EXPECT_TRUE(orphan.error().is(DbErrc::foreign_key_violation));

  ASSERT_TRUE(run("INSERT INTO social_account (id, user_id, social_id, social_name) "
                  "VALUES ('s1', 'u1', '42', 'github')")
                  .ok());
  auto linked = run("SELECT linked_at FROM social_account");
  ASSERT_TRUE(linked.ok());
  EXPECT_TRUE(linked->at(0, 0).has_value());

  // Deleting a user cascades to what hangs off it.
  ASSERT_TRUE(run(R"(DELETE FROM "user" WHERE id = 'u1')").ok());
  auto left =
      run("SELECT (SELECT count(*) FROM usersroles) + (SELECT count(*) FROM social_account)");
  ASSERT_TRUE(left.ok());
  EXPECT_EQ(left->at(0, 0), "0");
}

// An embedded database of an earlier release (migrations 0001-0004, "password" and created_at) is
// converted to the original's names in place, keeping its rows.
TEST_F(SqliteMigrationsTest, EarlierEmbeddedDatabasesGetTheOriginalsColumnNames) {
  auto all = embedded_migrations_for(SqlDialect::sqlite);
  ASSERT_TRUE(all.ok());
  const std::vector<Migration> earlier(all->begin(), all->begin() + 4);
  ASSERT_EQ(earlier.back().version, 4);
  ASSERT_TRUE(test::run_sync(io_, upgrade(*db_, earlier)).ok());
  ASSERT_TRUE(run(R"(INSERT INTO "user" (id, email, password, created_at) VALUES ($1, $2, $3, $4))",
                  {"u1", "old@example.com", "argon-hash", "2026-01-02 03:04:05.000000"})
                  .ok());
  ASSERT_TRUE(
      run("INSERT INTO login_histories (id, user_id, user_agent) VALUES ('h1', 'u1', NULL)").ok());

  auto upgraded = test::run_sync(io_, upgrade(*db_));
  ASSERT_TRUE(upgraded.ok()) << upgraded.error().describe();
  auto user = run(R"(SELECT password_hash, is_active, date_joined, email_canonical FROM "user")");
  ASSERT_TRUE(user.ok()) << user.error().describe();
  EXPECT_EQ(user->at(0, 0), "argon-hash");
  EXPECT_EQ(user->at(0, 1), "1");
  EXPECT_EQ(user->at(0, 2), "2026-01-02 03:04:05.000000");
  EXPECT_EQ(user->at(0, 3), "old@example.com");
  EXPECT_FALSE(run(R"(SELECT created_at FROM "user")").ok()) << "created_at is gone";
  EXPECT_EQ(run("SELECT user_agent FROM login_histories")->at(0, 0), "");
  // The email_canonical trigger still fills what an insert leaves out.
  ASSERT_TRUE(
      run(R"(INSERT INTO "user" (id, email, password_hash) VALUES ('u2', ' New@X.org', 'h'))")
          .ok());
  EXPECT_EQ(run(R"(SELECT email_canonical FROM "user" WHERE id = 'u2')")->at(0, 0), "new@x.org");
}

TEST_F(SqliteMigrationsTest, ForeignTablesWithoutTrackingAreRefused) {
  ASSERT_TRUE(run(R"(CREATE TABLE "user" (id TEXT PRIMARY KEY))").ok());
  auto r = test::run_sync(io_, upgrade(*db_));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(MigrationErrc::unrecognised_schema)) << r.error().describe();
  EXPECT_FALSE(tables().contains("schema_migrations"));
}

TEST_F(SqliteMigrationsTest, FailingMigrationIsRolledBackAndStopsTheRun) {
  const std::vector<Migration> migrations{
      {1, "first", "CREATE TABLE a (x INTEGER);"},
      {2, "broken", "CREATE TABLE b (x INTEGER);\nINSERT INTO no_such_table VALUES (1);"},
      {3, "third", "CREATE TABLE c (x INTEGER);"},
  };
  auto r = test::run_sync(io_, upgrade(*db_, migrations));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(DbErrc::query_failed));
  EXPECT_NE(r.error().detail.find("0002_broken statement 2"), std::string::npos)
      << r.error().detail;
  const auto names = tables();
  EXPECT_TRUE(names.contains("a"));
  EXPECT_FALSE(names.contains("b"));
  EXPECT_FALSE(names.contains("c"));
  auto versions = run("SELECT group_concat(version) FROM schema_migrations");
  ASSERT_TRUE(versions.ok());
  EXPECT_EQ(versions->at(0, 0), "1");

  // Fixed, the run resumes where it stopped.
  auto fixed = migrations;
  fixed[1].sql = "CREATE TABLE b (x INTEGER);";
  auto again = test::run_sync(io_, upgrade(*db_, fixed));
  ASSERT_TRUE(again.ok()) << again.error().describe();
  EXPECT_EQ(again->applied, (std::vector<std::string>{"0002_broken", "0003_third"}));
}

TEST_F(SqliteMigrationsTest, UnsplittableMigrationChangesNothing) {
  const std::vector<Migration> migrations{{1, "ok", "CREATE TABLE a (x INTEGER);"},
                                          {2, "bad", "SELECT 'unterminated"}};
  auto r = test::run_sync(io_, upgrade(*db_, migrations));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(MigrationErrc::invalid_migration_set));
  EXPECT_NE(r.error().detail.find("0002_bad"), std::string::npos);
  EXPECT_TRUE(tables().empty());
}

}  // namespace
}  // namespace authsvc::storage
