// `auth db upgrade` against real PostgreSQL (TEST_DATABASE_URL): an empty database, a database the
// original service created itself (tests/data/original_6883623fa6f0.sql, a pg_dump of one, loaded
// with psql), one created by an earlier release of ours, and one at an unknown alembic revision.
// Every test works in a fresh database of its own, created through the URL's database and dropped
// at the end.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <cstdlib>
#include <fstream>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "common/ids.hpp"
#include "storage/migrations.hpp"
#include "storage/postgres/postgres_database.hpp"
#include "support/async.hpp"
#include "support/services.hpp"

namespace authsvc::storage {
namespace {

namespace asio = boost::asio;

using Rows = std::vector<std::vector<SqlCell>>;

// The URL (or key=value conninfo) of `base`, pointing at database `name` instead.
std::string with_database(const std::string& base, const std::string& name) {
  const std::size_t scheme = base.find("://");
  if (scheme == std::string::npos) return base + " dbname=" + name;
  const std::size_t query = base.find('?', scheme + 3);
  const std::size_t authority_end = base.find('/', scheme + 3);
  const std::string tail = query == std::string::npos ? "" : base.substr(query);
  if (authority_end == std::string::npos || (query != std::string::npos && authority_end > query)) {
    return base.substr(0, query) + "/" + name + tail;
  }
  return base.substr(0, authority_end) + "/" + name + tail;
}

std::string random_database_name() {
  std::random_device random;
  return "auth_migrations_" + std::to_string(random()) + std::to_string(random() % 1000);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

PostgresConfig config_for(std::string conninfo) {
  PostgresConfig config;
  config.conninfo = std::move(conninfo);
  config.pool_size = 3;
  return config;
}

// The columns the original service writes, per table, in a stable order.
const std::map<std::string, std::string>& original_columns() {
  static const std::map<std::string, std::string> columns{
      {"\"user\"", "id, email, password_hash, is_active, is_superuser, date_joined"},
      {"profile", "id, user_id, first_name, last_name, phone"},
      {"login_histories", "id, user_id, user_agent, authentication_date"},
      {"role", "id, name, description"},
      {"usersroles", "id, user_id, role_id"},
      {"social_account", "id, user_id, social_id, social_name"},
      {"alembic_version", "version_num"},
  };
  return columns;
}

std::string fixture(const std::string& name) {
  return std::string(AUTH_SOURCE_DIR) + "/tests/data/" + name;
}

// "0001_original_schema", ... for every embedded PostgreSQL migration from `from` on.
std::vector<std::string> labels(int from = 1) {
  std::vector<std::string> out;
  auto migrations = embedded_migrations_for(SqlDialect::postgres);
  if (!migrations) return out;
  for (const auto& m : *migrations) {
    if (m.version < from) continue;
    out.push_back(fmt::format("{:04d}_{}", m.version, m.name));
  }
  return out;
}

// What schema_migrations should hold once everything is applied: "1 original_schema", ...
std::vector<std::string> recorded_labels() {
  std::vector<std::string> out;
  auto migrations = embedded_migrations_for(SqlDialect::postgres);
  if (!migrations) return out;
  for (const auto& m : *migrations) out.push_back(std::to_string(m.version) + " " + m.name);
  return out;
}

// The embedded migrations up to `last`, with 0001 replaced by `first_sql` when given.
std::vector<Migration> migrations_until(int last, std::optional<std::string> first_sql = {}) {
  std::vector<Migration> out;
  auto all = embedded_migrations_for(SqlDialect::postgres);
  if (!all) return out;
  for (auto m : *all) {
    if (m.version > last) break;
    if (m.version == 1 && first_sql) m.sql = *first_sql;
    out.push_back(std::move(m));
  }
  return out;
}

// What `actual` lacks ("- ...") and has too many ("+ ..."), one line each; empty when equal.
std::string differences(const std::vector<std::string>& expected,
                        const std::vector<std::string>& actual) {
  const std::multiset<std::string> want(expected.begin(), expected.end());
  const std::multiset<std::string> got(actual.begin(), actual.end());
  std::string out;
  for (const auto& line : want) {
    if (got.count(line) < want.count(line) && out.find("- " + line + "\n") == std::string::npos) {
      out += "- " + line + "\n";
    }
  }
  for (const auto& line : got) {
    if (want.count(line) < got.count(line) && out.find("+ " + line + "\n") == std::string::npos) {
      out += "+ " + line + "\n";
    }
  }
  return out;
}

// One database of its own per use, dropped when it goes.
class ScratchDatabase {
 public:
  ScratchDatabase(asio::io_context& io, PostgresDatabase& admin, const std::string& base_url)
      : io_(io),
        admin_(admin),
        name_(random_database_name()),
        url_(with_database(base_url, name_)) {
    auto created = test::run_sync(io_, admin_.execute("CREATE DATABASE " + name_));
    EXPECT_TRUE(created.ok()) << created.error().describe();
    db = std::make_unique<PostgresDatabase>(io_.get_executor(), config_for(url_));
  }
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;
  ~ScratchDatabase() {
    db.reset();
    auto dropped =
        test::run_sync(io_, admin_.execute("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)"));
    EXPECT_TRUE(dropped.ok()) << dropped.error().describe();
  }

  const std::string& url() const { return url_; }

  Result<SqlResult> run(std::string sql, std::vector<SqlParam> params = {}) {
    return test::run_sync(io_, db->execute(sql, std::move(params)));
  }
  std::vector<std::string> column(const std::string& sql) {
    std::vector<std::string> out;
    auto r = run(sql);
    EXPECT_TRUE(r.ok()) << sql << ": " << r.error().describe();
    if (!r.ok()) return out;
    for (const auto& row : r->rows) out.push_back(row.at(0).value_or("NULL"));
    return out;
  }
  // Loads a pg_dump (COPY data, psql meta-commands) the way its README says: psql -f.
  void load_dump(const std::string& path) {
    const std::string command =
        "psql -X -q -v ON_ERROR_STOP=1 -d '" + url_ + "' -f '" + path + "' >/dev/null";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  }
  // Everything that makes up the public schema, in a comparable text form: columns with type,
  // nullability and default, constraints with their definition, indexes with theirs, partitions
  // with their bounds, and triggers.
  std::vector<std::string> catalog() {
    auto out = column(
        "SELECT c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || "
        "CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END || "
        "coalesce(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '') || "
        "CASE WHEN a.attidentity <> '' THEN ' IDENTITY' ELSE '' END "
        "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
        "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
        "WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') "
        "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY c.relname, a.attnum");
    for (auto& c : column("SELECT conrelid::regclass::text || ' ' || conname || ' ' || "
                          "pg_get_constraintdef(oid) FROM pg_constraint "
                          "WHERE connamespace = 'public'::regnamespace ORDER BY 1")) {
      out.push_back("constraint " + c);
    }
    for (auto& i :
         column("SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1")) {
      out.push_back("index " + i);
    }
    for (auto& p : column("SELECT c.relname || ' ' || pg_get_expr(c.relpartbound, c.oid) "
                          "FROM pg_class c WHERE c.relispartition ORDER BY 1")) {
      out.push_back("partition " + p);
    }
    for (auto& t : column("SELECT tgrelid::regclass::text || ' ' || tgname FROM pg_trigger "
                          "WHERE NOT tgisinternal ORDER BY 1")) {
      out.push_back("trigger " + t);
    }
    return out;
  }

  std::unique_ptr<PostgresDatabase> db;

 private:
  asio::io_context& io_;
  PostgresDatabase& admin_;
  std::string name_;
  std::string url_;
};

class MigrationsPostgresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    AUTH_REQUIRE_POSTGRES(url);
    url_ = url;
    admin_ = std::make_unique<PostgresDatabase>(io_.get_executor(), config_for(url_));
    main_ = std::make_unique<ScratchDatabase>(io_, *admin_, url_);
    db_ = main_->db.get();
  }

  void TearDown() override {
    second_.reset();
    main_.reset();
  }

  std::unique_ptr<ScratchDatabase> scratch() {
    return std::make_unique<ScratchDatabase>(io_, *admin_, url_);
  }
  Result<SqlResult> run(std::string sql, std::vector<SqlParam> params = {}) {
    return main_->run(std::move(sql), std::move(params));
  }
  Rows rows(const std::string& sql) {
    auto r = run(sql);
    EXPECT_TRUE(r.ok()) << sql << ": " << r.error().describe();
    return r.ok() ? r->rows : Rows{};
  }
  std::vector<std::string> column(const std::string& sql) { return main_->column(sql); }
  void load_original() { main_->load_dump(fixture("original_6883623fa6f0.sql")); }
  // Every row of the original tables, as the original columns print.
  std::map<std::string, Rows> original_rows() {
    std::map<std::string, Rows> snapshot;
    for (const auto& [table, columns] : original_columns()) {
      snapshot[table] = rows("SELECT " + columns + " FROM " + table + " ORDER BY 1");
    }
    return snapshot;
  }
  std::vector<std::string> schema() { return main_->catalog(); }
  std::vector<std::string> recorded_versions() {
    return column("SELECT version::text || ' ' || name FROM schema_migrations ORDER BY version");
  }
  bool table_exists(const std::string& name) {
    auto r = run("SELECT to_regclass($1) IS NOT NULL", {name});
    return r.ok() && cell_as_bool(r->at(0, 0));
  }

  asio::io_context io_;
  std::string url_;
  std::unique_ptr<PostgresDatabase> admin_;
  std::unique_ptr<ScratchDatabase> main_;
  PostgresDatabase* db_ = nullptr;
  std::unique_ptr<PostgresDatabase> second_;
};

// SPEC 5: 0001 creates exactly what the original's own `flask db upgrade` created.
TEST_F(MigrationsPostgresTest, MigrationOneIsTheOriginalsSchemaExactly) {
  auto created = test::run_sync(io_, upgrade(*db_, migrations_until(1)));
  ASSERT_TRUE(created.ok()) << created.error().describe();
  ASSERT_TRUE(run("DROP TABLE schema_migrations").ok());

  auto original = scratch();
  original->load_dump(fixture("original_6883623fa6f0.sql"));
  const auto expected = original->catalog();
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(differences(expected, schema()), "");
  EXPECT_EQ(schema(), expected) << "the same, in the same order";
  EXPECT_EQ(column("SELECT version_num FROM alembic_version"),
            (std::vector<std::string>{"6883623fa6f0"}));
}

// A fresh database, an adopted one and one created by an earlier release end up the same.
TEST_F(MigrationsPostgresTest, EveryHistoryEndsInTheSameSchema) {
  ASSERT_TRUE(test::run_sync(io_, upgrade(*db_)).ok());
  const auto fresh = schema();

  auto adopted = scratch();
  adopted->load_dump(fixture("original_6883623fa6f0.sql"));
  auto adoption = test::run_sync(io_, upgrade(*adopted->db));
  ASSERT_TRUE(adoption.ok()) << adoption.error().describe();
  EXPECT_TRUE(adoption->adopted);
  EXPECT_EQ(differences(fresh, adopted->catalog()), "");

  auto earlier = scratch();
  auto old = test::run_sync(
      io_,
      upgrade(*earlier->db,
              migrations_until(4, read_file(fixture("earlier_release_0001_original_schema.sql")))));
  ASSERT_TRUE(old.ok()) << old.error().describe();
  const std::string user = "0d4c1b3a-1111-4222-8333-944455556666";
  ASSERT_TRUE(
      earlier
          ->run(R"(INSERT INTO "user" (id, email, password, created_at) VALUES ($1, $2, $3, $4))",
                {user, "old@example.org", "argon-hash", "2026-01-02 03:04:05"})
          .ok());
  ASSERT_TRUE(earlier
                  ->run("INSERT INTO login_histories (id, user_id) VALUES ($1, $2)",
                        {"1d4c1b3a-1111-4222-8333-944455556666", user})
                  .ok());
  auto converted = test::run_sync(io_, upgrade(*earlier->db));
  ASSERT_TRUE(converted.ok()) << converted.error().describe();
  EXPECT_EQ(converted->applied, labels(5));
  EXPECT_EQ(differences(fresh, earlier->catalog()), "");
  EXPECT_EQ(earlier->column(
                R"(SELECT password_hash || ' ' || is_active || ' ' || date_joined FROM "user")"),
            (std::vector<std::string>{"argon-hash true 2026-01-02 03:04:05"}));
  EXPECT_EQ(earlier->column("SELECT '[' || user_agent || ']' FROM login_histories"),
            (std::vector<std::string>{"[]"}));
}

TEST_F(MigrationsPostgresTest, EmptyDatabaseIsCreatedOnceAndTheSecondRunAppliesNothing) {
  auto first = test::run_sync(io_, upgrade(*db_));
  ASSERT_TRUE(first.ok()) << first.error().describe();
  EXPECT_FALSE(first->adopted);
  EXPECT_EQ(first->applied, labels());
  ASSERT_GE(first->applied.size(), 2u);
  EXPECT_EQ(first->applied[0], "0001_original_schema");
  EXPECT_EQ(first->applied[1], "0002_auth_service");
  const auto after_first = schema();

  auto second = test::run_sync(io_, upgrade(*db_));
  ASSERT_TRUE(second.ok()) << second.error().describe();
  EXPECT_FALSE(second->adopted);
  EXPECT_TRUE(second->applied.empty());
  EXPECT_EQ(schema(), after_first);

  EXPECT_EQ(recorded_versions(), recorded_labels());
  EXPECT_EQ(column("SELECT version_num FROM alembic_version"),
            (std::vector<std::string>{"6883623fa6f0"}));
  EXPECT_EQ(
      column("SELECT c.relname || ' ' || pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
             "JOIN pg_class c ON c.oid = i.inhrelid "
             "WHERE i.inhparent = 'social_account'::regclass ORDER BY 1"),
      (std::vector<std::string>{
          "social_account_default DEFAULT",
          "social_account_facebook FOR VALUES IN ('facebook')",
          "social_account_github FOR VALUES IN ('github')",
          "social_account_google FOR VALUES IN ('google')",
          "social_account_mail FOR VALUES IN ('mail')",
          "social_account_twitter FOR VALUES IN ('twitter')",
          "social_account_vk FOR VALUES IN ('vk')",
          "social_account_yandex FOR VALUES IN ('yandex')",
      }));
  for (const char* table : {"auth_session", "revoked_token", "audit_event"}) {
    EXPECT_TRUE(table_exists(table)) << table;
  }

  auto statuses = test::run_sync(io_, status(*db_));
  ASSERT_TRUE(statuses.ok()) << statuses.error().describe();
  ASSERT_EQ(statuses->size(), labels().size());
  for (const auto& m : *statuses) {
    EXPECT_TRUE(m.applied) << m.name;
    EXPECT_TRUE(m.applied_at.has_value());
  }
}

TEST_F(MigrationsPostgresTest, StatusBeforeAnyUpgradeListsEverythingPending) {
  auto statuses = test::run_sync(io_, status(*db_));
  ASSERT_TRUE(statuses.ok()) << statuses.error().describe();
  ASSERT_EQ(statuses->size(), labels().size());
  for (const auto& m : *statuses) EXPECT_FALSE(m.applied) << m.name;
}

TEST_F(MigrationsPostgresTest, SchemaBehavesAsTheServiceExpects) {
  ASSERT_TRUE(test::run_sync(io_, upgrade(*db_)).ok());
  const std::string user = "11111111-1111-4111-8111-111111111111";
  // An insert of the original service (its six columns) still works; the canonical email follows.
  const auto insert_user = [&](const std::string& id, const std::string& email) {
    return run(
        R"(INSERT INTO "user" (id, email, password_hash, is_active, is_superuser, date_joined)
                  VALUES ($1, $2, 'hash', true, false, '2026-12-05 03:04:01.2'))",
        {id, email});
  };
  ASSERT_TRUE(insert_user(user, " Some.One@Example.COM ").ok());
  EXPECT_EQ(column(R"(SELECT email_canonical || ' ' || has_password FROM "user")"),
            (std::vector<std::string>{"some.one@example.com true"}));
  auto clash = insert_user("22222222-2222-4222-8222-222222222222", "some.one@example.com");
  ASSERT_FALSE(clash.ok());
  EXPECT_TRUE(clash.error().is(DbErrc::unique_violation)) << clash.error().describe();

  // The original service changing an email keeps the canonical form in step.
  ASSERT_TRUE(run(R"(UPDATE "user" SET email = 'New@Example.com' WHERE id = $1)", {user}).ok());
  EXPECT_EQ(column(R"(SELECT email_canonical FROM "user")"),
            (std::vector<std::string>{"new@example.com"}));

  ASSERT_TRUE(
      run("INSERT INTO role (id, name) VALUES ('aaaaaaaa-0000-4000-8000-000000000001', 'b')").ok());
  ASSERT_TRUE(
      run("INSERT INTO role (id, name) VALUES ('aaaaaaaa-0000-4000-8000-000000000000', 'a')").ok());
  EXPECT_EQ(column("SELECT name FROM role ORDER BY created_seq"),
            (std::vector<std::string>{"b", "a"}));

  // Several roles per user (the original allowed one), each at most once.
  for (const char* role :
       {"aaaaaaaa-0000-4000-8000-000000000001", "aaaaaaaa-0000-4000-8000-000000000000"}) {
    ASSERT_TRUE(run("INSERT INTO usersroles (id, user_id, role_id) VALUES ($1, $2, $3)",
                    {new_uuid(), user, role})
                    .ok());
  }
  auto twice =
      run("INSERT INTO usersroles (id, user_id, role_id) VALUES "
          "('bbbbbbbb-0000-4000-8000-000000000002', $1, 'aaaaaaaa-0000-4000-8000-000000000001')",
          {user});
  ASSERT_FALSE(twice.ok());
  EXPECT_TRUE(twice.error().is(DbErrc::unique_violation)) << twice.error().describe();

  ASSERT_TRUE(run("INSERT INTO social_account (id, user_id, social_id, social_name) VALUES "
                  "('cccccccc-0000-4000-8000-000000000001', $1, '42', 'vk'), "
                  "('cccccccc-0000-4000-8000-000000000002', $1, '42', 'my-oidc')",
                  {user})
                  .ok());
  EXPECT_EQ(
      column("SELECT social_name || ' ' || tableoid::regclass FROM social_account ORDER BY 1"),
      (std::vector<std::string>{"my-oidc social_account_default", "vk social_account_vk"}));
  auto linked_twice =
      run("INSERT INTO social_account (id, user_id, social_id, social_name) VALUES "
          "('cccccccc-0000-4000-8000-000000000003', $1, '42', 'vk')",
          {user});
  ASSERT_FALSE(linked_twice.ok());
  EXPECT_TRUE(linked_twice.error().is(DbErrc::unique_violation)) << linked_twice.error().describe();
}

TEST_F(MigrationsPostgresTest, AdoptsTheOriginalServicesDatabaseWithoutLosingARow) {
  load_original();
  const auto before = original_rows();
  ASSERT_EQ(before.at("\"user\"").size(), 3u);
  ASSERT_EQ(before.at("login_histories").size(), 4u);
  ASSERT_EQ(before.at("usersroles").size(), 1u);
  ASSERT_EQ(before.at("social_account").size(), 1u);

  auto adopted = test::run_sync(io_, upgrade(*db_));
  ASSERT_TRUE(adopted.ok()) << adopted.error().describe();
  EXPECT_TRUE(adopted->adopted);
  EXPECT_EQ(adopted->applied, labels(2));
  ASSERT_FALSE(adopted->applied.empty());
  EXPECT_EQ(adopted->applied[0], "0002_auth_service");
  EXPECT_EQ(recorded_versions(), recorded_labels());

  // Every original row, byte for byte as PostgreSQL prints it; the Werkzeug hashes untouched.
  EXPECT_EQ(original_rows(), before);
  EXPECT_EQ(column(R"(SELECT password_hash FROM "user" WHERE email = 'ivan.petrov@example.org')"),
            (std::vector<std::string>{
                "pbkdf2:sha256:260000$tkDzdsV2nesjdw40$"
                "ff6c42254c183cb8752193db27e27e9ab7e85a97f88895d3e1d4d714e97086f0"}));
  EXPECT_EQ(column("SELECT version_num FROM alembic_version"),
            (std::vector<std::string>{"6883623fa6f0"}));

  // What the later migrations added, filled in for the old rows.
  EXPECT_EQ(
      column(
          R"(SELECT email_canonical || ' ' || has_password FROM "user" ORDER BY email_canonical)"),
      (std::vector<std::string>{"admin@example.org true", "ivan.petrov@example.org true",
                                "maria.smirnova@example.org true"}));
  EXPECT_EQ(column("SELECT (created_seq IS NOT NULL)::text FROM role"),
            (std::vector<std::string>{"true", "true"}));
  EXPECT_EQ(column("SELECT count(*) FROM pg_inherits WHERE inhparent = 'social_account'::regclass"),
            (std::vector<std::string>{"8"}));
  EXPECT_EQ(column("SELECT tableoid::regclass::text FROM social_account"),
            (std::vector<std::string>{"social_account_yandex"}));
  EXPECT_TRUE(table_exists("auth_session"));

  const auto adopted_schema = schema();
  auto again = test::run_sync(io_, upgrade(*db_));
  ASSERT_TRUE(again.ok()) << again.error().describe();
  EXPECT_FALSE(again->adopted);
  EXPECT_TRUE(again->applied.empty());
  EXPECT_EQ(schema(), adopted_schema);
  EXPECT_EQ(original_rows(), before);
}

// The original's schema allows assignments naming no user or no role; they grant nothing and go.
TEST_F(MigrationsPostgresTest, AdoptionDropsAssignmentsThatNameNobody) {
  load_original();
  ASSERT_TRUE(run("INSERT INTO usersroles (id, user_id, role_id) VALUES "
                  "('ffffffff-0004-4000-8000-000000000009', NULL, "
                  "'a34d11a3-c2b5-498a-9ecc-f6a14bff26aa')")
                  .ok());
  auto adopted = test::run_sync(io_, upgrade(*db_));
  ASSERT_TRUE(adopted.ok()) << adopted.error().describe();
  EXPECT_EQ(column("SELECT id::text FROM usersroles"),
            (std::vector<std::string>{"a88c0cac-fee5-4433-9ff4-0de6faca8d7d"}));
}

// The original never enforced one link per provider account; a database that breaks it is refused
// with a message, and nothing changes.
TEST_F(MigrationsPostgresTest, AdoptionRefusesAProviderAccountLinkedTwice) {
  load_original();
  ASSERT_TRUE(
      run("INSERT INTO social_account (id, user_id, social_id, social_name) VALUES "
          "('5b0c7e2a-3f0e-4a51-9a7e-1b2c3d4e5f61', '8c3a35e4-6e67-490f-8ba4-a35c030bc8b1', "
          "'1130000012345678', 'yandex')")
          .ok());
  auto refused = test::run_sync(io_, upgrade(*db_));
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().detail.find("1 social account(s) are linked more than once"),
            std::string::npos)
      << refused.error().detail;
  EXPECT_EQ(column("SELECT count(*) FROM social_account"), (std::vector<std::string>{"2"}));
}

TEST_F(MigrationsPostgresTest, UnknownAlembicRevisionIsRefusedAndNothingChanges) {
  load_original();
  ASSERT_TRUE(run("UPDATE alembic_version SET version_num = 'a1b2c3d4e5f6'").ok());
  const auto schema_before = schema();
  const auto rows_before = original_rows();

  auto refused = test::run_sync(io_, upgrade(*db_));
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(refused.error().is(MigrationErrc::unknown_alembic_revision))
      << refused.error().describe();
  EXPECT_NE(refused.error().detail.find("a1b2c3d4e5f6"), std::string::npos)
      << refused.error().detail;

  EXPECT_FALSE(table_exists("schema_migrations"));
  EXPECT_EQ(schema(), schema_before);
  EXPECT_EQ(original_rows(), rows_before);
}

TEST_F(MigrationsPostgresTest, TablesOfSomeoneElseAreRefused) {
  ASSERT_TRUE(run(R"(CREATE TABLE "user" (id uuid PRIMARY KEY))").ok());
  auto refused = test::run_sync(io_, upgrade(*db_));
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(refused.error().is(MigrationErrc::unrecognised_schema)) << refused.error().describe();
  EXPECT_FALSE(table_exists("schema_migrations"));
}

TEST_F(MigrationsPostgresTest, TwoInstancesUpgradingAtOnceApplyEachMigrationOnce) {
  second_ = std::make_unique<PostgresDatabase>(io_.get_executor(), config_for(main_->url()));
  auto a = asio::co_spawn(io_, upgrade(*db_), asio::use_future);
  auto b = asio::co_spawn(io_, upgrade(*second_), asio::use_future);
  io_.restart();
  while (a.wait_for(std::chrono::seconds(0)) != std::future_status::ready ||
         b.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
    io_.run_one_for(std::chrono::milliseconds(50));
  }
  auto first = a.get();
  auto second = b.get();
  ASSERT_TRUE(first.ok()) << first.error().describe();
  ASSERT_TRUE(second.ok()) << second.error().describe();
  std::multiset<std::string> applied(first->applied.begin(), first->applied.end());
  applied.insert(second->applied.begin(), second->applied.end());
  const auto all = labels();
  EXPECT_EQ(applied, std::multiset<std::string>(all.begin(), all.end()));
  EXPECT_EQ(recorded_versions(), recorded_labels());
}

TEST(MigrationsPostgresUrl, PointsAUrlOrConninfoAtAnotherDatabase) {
  EXPECT_EQ(with_database("postgresql://u:p@127.0.0.1:5432/auth", "x"),
            "postgresql://u:p@127.0.0.1:5432/x");
  EXPECT_EQ(with_database("postgresql://u:p@h:1/auth?sslmode=disable", "x"),
            "postgresql://u:p@h:1/x?sslmode=disable");
  EXPECT_EQ(with_database("postgresql://h:1", "x"), "postgresql://h:1/x");
  EXPECT_EQ(with_database("postgresql://h:1?sslmode=disable", "x"),
            "postgresql://h:1/x?sslmode=disable");
  EXPECT_EQ(with_database("host=h dbname=auth", "x"), "host=h dbname=auth dbname=x");
}

}  // namespace
}  // namespace authsvc::storage
