#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/embedded_file.hpp"
#include "common/result.hpp"
#include "storage/sql_database.hpp"

namespace authsvc::storage {

// Generated at build time from migrations/{postgres,sqlite}/*.sql (cmake/EmbedFiles.cmake).
const std::vector<EmbeddedFile>& embedded_migrations();

// One numbered migration of one dialect: migrations/<dialect>/NNNN_<name>.sql.
struct Migration {
  int version = 0;
  std::string name;      // "original_schema"
  std::string_view sql;  // the file's contents (embedded, lives as long as the program)
};

// The folder of a dialect under migrations/: "postgres" or "sqlite".
std::string_view dialect_directory(SqlDialect dialect);

// Parses "NNNN_<name>.sql" (the file name only); version 0 when the name does not match.
Migration parse_migration_file_name(std::string_view file_name);

// The migrations of `dialect` among `files` (paths like "migrations/sqlite/0001_x.sql"), sorted by
// version. Misnamed files and duplicate versions are MigrationErrc::invalid_migration_set.
Result<std::vector<Migration>> migrations_for(SqlDialect dialect,
                                              const std::vector<EmbeddedFile>& files);
inline Result<std::vector<Migration>> embedded_migrations_for(SqlDialect dialect) {
  return migrations_for(dialect, embedded_migrations());
}

}  // namespace authsvc::storage
