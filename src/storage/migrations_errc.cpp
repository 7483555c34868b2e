#include "storage/migrations_errc.hpp"

#include <string>

namespace authsvc::storage {
namespace {

class MigrationCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "migration"; }
  std::string message(int value) const override {
    switch (static_cast<MigrationErrc>(value)) {
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
};

}  // namespace

const std::error_category& migration_category() noexcept {
  static const MigrationCategory category;
  return category;
}

std::error_code make_error_code(MigrationErrc e) noexcept {
  return {static_cast<int>(e), migration_category()};
}

}  // namespace authsvc::storage
