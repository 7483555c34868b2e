#include "storage/migrations_catalog.hpp"

#include <algorithm>
#include <charconv>

#include "storage/migrations_errc.hpp"

namespace authsvc::storage {

std::string_view dialect_directory(SqlDialect dialect) {
  return dialect == SqlDialect::postgres ? "postgres" : "sqlite";
}

Migration parse_migration_file_name(std::string_view file_name) {
  Migration migration;
  constexpr std::string_view kSuffix = ".sql";
  const std::size_t underscore = file_name.find('_');
  if (underscore == 0 || underscore == std::string_view::npos) return migration;
  if (file_name.size() <= kSuffix.size() || !file_name.ends_with(kSuffix)) return migration;
  const std::string_view digits = file_name.substr(0, underscore);
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return migration;
  }
  const std::string_view name =
      file_name.substr(underscore + 1, file_name.size() - kSuffix.size() - underscore - 1);
  if (name.empty()) return migration;
  int version = 0;
  const auto parsed = std::from_chars(digits.data(), digits.data() + digits.size(), version);
  if (parsed.ec != std::errc() || version <= 0) return migration;
  migration.version = version;
  migration.name = std::string(name);
  return migration;
}

Result<std::vector<Migration>> migrations_for(SqlDialect dialect,
                                              const std::vector<EmbeddedFile>& files) {
  const std::string prefix = "migrations/" + std::string(dialect_directory(dialect)) + "/";
  std::vector<Migration> out;
  for (const EmbeddedFile& file : files) {
    if (!file.path.starts_with(prefix)) continue;
    const std::string_view file_name = file.path.substr(prefix.size());
    Migration migration = parse_migration_file_name(file_name);
    if (migration.version == 0) {
      return Error(MigrationErrc::invalid_migration_set,
                   "migration file name is not NNNN_name.sql: " + std::string(file.path));
    }
    migration.sql = file.contents;
    out.push_back(std::move(migration));
  }
  std::sort(out.begin(), out.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  for (std::size_t i = 1; i < out.size(); ++i) {
    if (out[i].version == out[i - 1].version) {
      return Error(MigrationErrc::invalid_migration_set,
                   "two " + std::string(dialect_directory(dialect)) + " migrations numbered " +
                       std::to_string(out[i].version));
    }
  }
  return out;
}

}  // namespace authsvc::storage
