#include "storage/sql_database.hpp"

#include <charconv>

namespace authsvc::storage {

const char* error_category_name(DbErrc) noexcept {
  return "db";
}

const char* describe(DbErrc e) noexcept {
  switch (e) {
    case DbErrc::unique_violation:
      return "unique violation";
    case DbErrc::foreign_key_violation:
      return "foreign key violation";
    case DbErrc::constraint_violation:
      return "constraint violation";
    case DbErrc::serialization_failure:
      return "serialization failure";
    case DbErrc::query_failed:
      return "query failed";
  }
  return "unknown db error";
}

bool cell_as_bool(const SqlCell& cell) {
  if (!cell) return false;
  const std::string& v = *cell;
  return v == "t" || v == "true" || v == "1" || v == "TRUE";
}

std::int64_t cell_as_int(const SqlCell& cell) {
  std::int64_t value = 0;
  if (cell) std::from_chars(cell->data(), cell->data() + cell->size(), value);
  return value;
}

}  // namespace authsvc::storage
