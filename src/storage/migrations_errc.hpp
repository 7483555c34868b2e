#pragma once

#include <system_error>

#include "common/error_category.hpp"

namespace authsvc::storage {

// Why `auth db upgrade` / `auth db migrate` refused to go on. Failures of the statements
// themselves keep their DbErrc / InfraErrc.
enum class MigrationErrc {
  unknown_alembic_revision = 1,  // a database of the original service at a revision we do not know
  unrecognised_schema,    // tables exist, but neither our tracking table nor a known alembic one
  invalid_migration_set,  // embedded files misnamed, duplicated or unparsable
  invalid_message,        // `db migrate -m` message yields no usable file name
};

const char* error_category_name(MigrationErrc) noexcept;
const char* describe(MigrationErrc e) noexcept;
inline std::error_code make_error_code(MigrationErrc e) noexcept {
  return make_enum_error_code(e);
}

}  // namespace authsvc::storage

template <>
struct std::is_error_code_enum<authsvc::storage::MigrationErrc> : std::true_type {};
