#include "storage/migrations.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>
#include <set>

#include "storage/migrations_script.hpp"

namespace authsvc::storage {
namespace {

using boost::asio::awaitable;

// pg_advisory_xact_lock key: the bytes of "authmigr". Held until the transaction ends.
constexpr std::string_view kAdvisoryLock = "SELECT pg_advisory_xact_lock(7022647185815201650)";

struct Query {
  std::string sql;
  std::vector<SqlParam> params;
};

Query table_exists(SqlDialect dialect, std::string_view table) {
  if (dialect == SqlDialect::postgres) {
    return {"SELECT CASE WHEN to_regclass($1) IS NULL THEN 0 ELSE 1 END",
            {"\"" + std::string(table) + "\""}};
  }
  return {"SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = $1",
          {std::string(table)}};
}

std::string_view create_tracking_table(SqlDialect dialect) {
  if (dialect == SqlDialect::postgres) {
    return "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, "
           "name text NOT NULL, applied_at timestamp NOT NULL)";
  }
  return "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
         "name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT";
}

constexpr std::string_view kTrackingTable = "schema_migrations";
constexpr std::string_view kUserTable = "user";
constexpr std::string_view kAlembicTable = "alembic_version";
constexpr std::string_view kReadAlembic = "SELECT version_num FROM alembic_version ORDER BY 1";
constexpr std::string_view kIsRecorded =
    "SELECT count(*) FROM schema_migrations WHERE version = $1";
constexpr std::string_view kReadRecorded =
    "SELECT version, name, applied_at FROM schema_migrations";
constexpr std::string_view kRecordMigration =
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)";

// UTC, in the text form PostgreSQL prints timestamps: "2024-05-01 10:00:00.123456".
std::string utc_now_text() {
  const auto now = std::chrono::system_clock::now();
  const auto seconds = std::chrono::floor<std::chrono::seconds>(now);
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now - seconds).count();
  const std::time_t time = std::chrono::system_clock::to_time_t(seconds);
  std::tm tm{};
  gmtime_r(&time, &tm);
  return fmt::format("{:04d}-{:02d}-{:02d} {:02d}:{:02d}:{:02d}.{:06d}", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, micros);
}

std::string label(const Migration& m) {
  return fmt::format("{:04d}_{}", m.version, m.name);
}

std::string excerpt(std::string_view statement) {
  std::string line(statement.substr(0, std::min<std::size_t>(statement.size(), 80)));
  std::replace(line.begin(), line.end(), '\n', ' ');
  return line;
}

awaitable<Result<bool>> session_table_exists(SqlSession* session, SqlDialect dialect,
                                             std::string table) {
  Query q = table_exists(dialect, table);
  auto r = co_await session->execute(q.sql, std::move(q.params));
  if (!r) co_return r.take_error();
  co_return !r->empty() && cell_as_int(r->at(0, 0)) > 0;
}

// What to do with a database that has no schema_migrations yet: adopt it (true), start from empty
// (false) or refuse, before anything is changed.
Result<bool> decide_adoption(bool has_user, bool has_alembic,
                             const std::vector<std::string>& revisions,
                             const std::vector<Migration>& migrations) {
  if (!has_alembic) {
    if (!has_user) return false;
    return Error(MigrationErrc::unrecognised_schema,
                 "table \"user\" exists but neither schema_migrations nor a known alembic_version "
                 "does; the database was left untouched");
  }
  if (revisions != std::vector<std::string>{std::string(kOriginalAlembicRevision)}) {
    std::string found;
    for (const std::string& revision : revisions) {
      if (!found.empty()) found += ", ";
      found += "'" + revision + "'";
    }
    if (found.empty()) found = "no revision";
    return Error(MigrationErrc::unknown_alembic_revision,
                 fmt::format("alembic_version holds {}; only the original service's revision '{}' "
                             "can be adopted, so the database was left untouched",
                             found, kOriginalAlembicRevision));
  }
  if (!has_user) {
    return Error(MigrationErrc::unrecognised_schema,
                 "alembic_version is at the original revision but table \"user\" is missing; the "
                 "database was left untouched");
  }
  if (migrations.empty() || migrations.front().version != 1) {
    return Error(MigrationErrc::invalid_migration_set,
                 "migration 0001 (the original schema) is missing; cannot adopt");
  }
  return true;
}

// Creates schema_migrations, adopting a database of the original service when that is what we
// find. Runs inside a transaction (and on PostgreSQL under the advisory lock).
awaitable<Result<void>> bootstrap(SqlSession* session, SqlDialect dialect,
                                  const std::vector<Migration>* migrations, bool* adopted) {
  const bool postgres = dialect == SqlDialect::postgres;
  if (postgres) {
    auto locked = co_await session->execute(kAdvisoryLock);
    if (!locked) co_return locked.take_error();
  }
  auto tracked = co_await session_table_exists(session, dialect, std::string(kTrackingTable));
  if (!tracked) co_return tracked.take_error();
  if (*tracked) co_return ok_result();

  auto has_user = co_await session_table_exists(session, dialect, std::string(kUserTable));
  if (!has_user) co_return has_user.take_error();
  bool has_alembic = false;
  std::vector<std::string> revisions;
  if (postgres) {
    auto alembic = co_await session_table_exists(session, dialect, std::string(kAlembicTable));
    if (!alembic) co_return alembic.take_error();
    has_alembic = *alembic;
  }
  if (has_alembic) {
    auto rows = co_await session->execute(kReadAlembic);
    if (!rows) co_return rows.take_error();
    for (const auto& row : rows->rows) revisions.push_back(row.at(0).value_or(std::string()));
  }
  auto adopt = decide_adoption(*has_user, has_alembic, revisions, *migrations);
  if (!adopt) co_return adopt.take_error();

  auto created = co_await session->execute(create_tracking_table(dialect));
  if (!created) co_return created.take_error();
  if (*adopt) {
    const Migration& baseline = migrations->front();
    // (Parameters built before co_await: GCC 12 rejects an initializer list inside it.)
    std::vector<SqlParam> params{std::to_string(baseline.version), baseline.name, utc_now_text()};
    auto recorded = co_await session->execute(kRecordMigration, std::move(params));
    if (!recorded) co_return recorded.take_error();
    *adopted = true;
  }
  co_return ok_result();
}

// Runs one migration and records it, unless another instance recorded it first.
awaitable<Result<void>> apply_one(SqlSession* session, SqlDialect dialect,
                                  const Migration* migration,
                                  const std::vector<std::string>* statements,
                                  std::string applied_at, bool* skipped) {
  if (dialect == SqlDialect::postgres) {
    auto locked = co_await session->execute(kAdvisoryLock);
    if (!locked) co_return locked.take_error();
  }
  std::vector<SqlParam> version{std::to_string(migration->version)};
  auto present = co_await session->execute(kIsRecorded, std::move(version));
  if (!present) co_return present.take_error();
  if (!present->empty() && cell_as_int(present->at(0, 0)) > 0) {
    *skipped = true;
    co_return ok_result();
  }
  for (std::size_t i = 0; i < statements->size(); ++i) {
    const std::string& statement = (*statements)[i];
    auto done = co_await session->execute(statement);
    if (!done) {
      Error error = done.take_error();
      error.detail = fmt::format("migration {} statement {} ({}...): {}", label(*migration), i + 1,
                                 excerpt(statement), error.detail);
      co_return error;
    }
  }
  std::vector<SqlParam> record{std::to_string(migration->version), migration->name,
                               std::move(applied_at)};
  auto recorded = co_await session->execute(kRecordMigration, std::move(record));
  if (!recorded) co_return recorded.take_error();
  co_return ok_result();
}

awaitable<Result<std::map<int, std::pair<std::string, std::optional<std::string>>>>> read_applied(
    SqlDatabase* db) {
  std::map<int, std::pair<std::string, std::optional<std::string>>> applied;
  Query exists = table_exists(db->dialect(), kTrackingTable);
  auto tracked = co_await db->execute(exists.sql, std::move(exists.params));
  if (!tracked) co_return tracked.take_error();
  if (tracked->empty() || cell_as_int(tracked->at(0, 0)) == 0) co_return applied;
  auto rows = co_await db->execute(kReadRecorded);
  if (!rows) co_return rows.take_error();
  for (const auto& row : rows->rows) {
    applied[static_cast<int>(cell_as_int(row.at(0)))] = {row.at(1).value_or(""), row.at(2)};
  }
  co_return applied;
}

}  // namespace

awaitable<Result<UpgradeReport>> upgrade(SqlDatabase& db) {
  auto migrations = embedded_migrations_for(db.dialect());
  if (!migrations) co_return migrations.take_error();
  co_return co_await upgrade(db, std::move(migrations).value());
}

awaitable<Result<UpgradeReport>> upgrade(SqlDatabase& db, std::vector<Migration> migrations) {
  const SqlDialect dialect = db.dialect();
  UpgradeReport report;

  // Every script must split cleanly before anything runs.
  std::vector<std::vector<std::string>> scripts;
  for (const Migration& migration : migrations) {
    auto statements = split_sql_script(migration.sql);
    if (!statements) {
      Error error = statements.take_error();
      error.detail = "migration " + label(migration) + ": " + error.detail;
      co_return error;
    }
    scripts.push_back(std::move(statements).value());
  }

  bool adopted = false;
  // Transaction work is always a named local: GCC 12 destroys a lambda written inside a co_await
  // expression twice.
  TransactionWork boot = [dialect, &migrations, &adopted](SqlSession& session) {
    return bootstrap(&session, dialect, &migrations, &adopted);
  };
  auto booted = co_await db.transaction(std::move(boot));
  if (!booted) co_return booted.take_error();
  report.adopted = adopted;

  auto applied = co_await read_applied(&db);
  if (!applied) co_return applied.take_error();

  for (std::size_t k = 0; k < migrations.size(); ++k) {
    const Migration& migration = migrations[k];
    if (applied->contains(migration.version)) continue;
    const std::string applied_at = utc_now_text();
    bool skipped = false;
    const std::vector<std::string>* statements = &scripts[k];
    TransactionWork work = [dialect, &migration, statements, applied_at,
                            &skipped](SqlSession& session) {
      return apply_one(&session, dialect, &migration, statements, applied_at, &skipped);
    };
    auto done = co_await db.transaction(std::move(work));
    if (!done) co_return done.take_error();
    if (!skipped) report.applied.push_back(label(migration));
  }
  co_return report;
}

awaitable<Result<std::vector<MigrationStatus>>> status(SqlDatabase& db) {
  auto migrations = embedded_migrations_for(db.dialect());
  if (!migrations) co_return migrations.take_error();
  auto applied = co_await read_applied(&db);
  if (!applied) co_return applied.take_error();

  std::vector<MigrationStatus> out;
  std::set<int> known;
  for (const Migration& migration : *migrations) {
    known.insert(migration.version);
    MigrationStatus entry{migration.version, migration.name, false, std::nullopt};
    if (auto found = applied->find(migration.version); found != applied->end()) {
      entry.applied = true;
      entry.applied_at = found->second.second;
    }
    out.push_back(std::move(entry));
  }
  for (const auto& [version, row] : *applied) {
    if (!known.contains(version)) out.push_back({version, row.first, true, row.second});
  }
  std::sort(out.begin(), out.end(), [](const MigrationStatus& a, const MigrationStatus& b) {
    return a.version < b.version;
  });
  co_return out;
}

}  // namespace authsvc::storage
