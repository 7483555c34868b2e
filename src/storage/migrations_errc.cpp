#include "storage/migrations_errc.hpp"

namespace authsvc::storage {

const char* error_category_name(MigrationErrc) noexcept {
  return "migration";
}

const char* describe(MigrationErrc e) noexcept {
  switch (e) {
    case MigrationErrc::unknown_alembic_revision:
      return "unknown alembic revision";
    case MigrationErrc::unrecognised_schema:
      return "unrecognised database schema";
    case MigrationErrc::invalid_migration_set:
      return "invalid migration set";
    case MigrationErrc::invalid_message:
      return "invalid migration message";
  }
  return "unknown migration error";
}

}  // namespace authsvc::storage
