#pragma once

#include <boost/asio/awaitable.hpp>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "storage/migrations_catalog.hpp"
#include "storage/migrations_errc.hpp"
#include "storage/sql_database.hpp"

namespace authsvc::storage {

// The alembic revision of the original (Flask) service that migration 0001 reproduces.
inline constexpr std::string_view kOriginalAlembicRevision = "6883623fa6f0";

struct MigrationStatus {
  int version = 0;
  std::string name;
  bool applied = false;
  std::optional<std::string> applied_at;  // as the database prints it, UTC
};

struct UpgradeReport {
  std::vector<std::string>
      applied;  // what this run applied, "0002_auth_service"; empty when current
  // A database of the original service was adopted: 0001 recorded as its baseline, not run.
  bool adopted = false;
};

// `auth db upgrade`: applies the dialect's embedded migrations that the database lacks, in order,
// each in one transaction together with its row in schema_migrations (on PostgreSQL under
// pg_advisory_xact_lock, so instances upgrading at once are safe). Running it again changes
// nothing.
//
// On PostgreSQL, a database without schema_migrations whose alembic_version holds
// kOriginalAlembicRevision and that has table "user" is the original service's: 0001 is recorded
// as applied without running it, then 0002+ run. Any other alembic revision, or tables of ours with
// no tracking at all, is refused before anything is changed.
// `db` must outlive the returned awaitable.
boost::asio::awaitable<Result<UpgradeReport>> upgrade(SqlDatabase& db);
// The same with an explicit migration list (tests).
boost::asio::awaitable<Result<UpgradeReport>> upgrade(SqlDatabase& db,
                                                      std::vector<Migration> migrations);

// `auth db status`: every known migration with whether and when it was applied; versions recorded
// in the database but unknown to this binary are listed too (applied, name from the database).
boost::asio::awaitable<Result<std::vector<MigrationStatus>>> status(SqlDatabase& db);

// `auth db migrate -m MSG`: creates <dir>/postgres/NNNN_<slug>.sql and
// <dir>/sqlite/NNNN_<slug>.sql, NNNN being one more than the highest number in either folder, each
// with a header comment. An empty message, or one with nothing to make a file name of, is
// MigrationErrc::invalid_message. Returns the paths written (postgres first). The binary embeds
// migrations: rebuild to apply them.
Result<std::vector<std::filesystem::path>> create_migration_files(
    std::filesystem::path migrations_dir, std::string_view message);

}  // namespace authsvc::storage
