#include "storage/sqlite/sqlite_errors.hpp"

#include <sqlite3.h>

#include "storage/sql_database.hpp"

namespace authsvc::storage {

Error sqlite_error(int extended_code, std::string detail) {
  switch (extended_code) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
    case SQLITE_CONSTRAINT_ROWID:
      return Error(DbErrc::unique_violation, std::move(detail));
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return Error(DbErrc::foreign_key_violation, std::move(detail));
    default:
      break;
  }
  switch (extended_code & 0xff) {
    case SQLITE_CONSTRAINT:
      return Error(DbErrc::constraint_violation, std::move(detail));
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Error(InfraErrc::timeout, std::move(detail));
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_NOTADB:
    case SQLITE_READONLY:
      return Error(InfraErrc::unavailable, std::move(detail));
    default:
      return Error(DbErrc::query_failed, std::move(detail));
  }
}

}  // namespace authsvc::storage
