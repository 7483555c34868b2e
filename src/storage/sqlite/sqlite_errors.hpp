#pragma once

#include <string>

#include "common/error.hpp"

namespace authsvc::storage {

// Maps an SQLite extended result code to the storage error model:
//   UNIQUE / PRIMARYKEY constraint -> DbErrc::unique_violation
//   FOREIGNKEY constraint          -> DbErrc::foreign_key_violation
//   any other constraint           -> DbErrc::constraint_violation
//   BUSY / LOCKED (after the busy timeout) -> InfraErrc::timeout
//   CANTOPEN, IOERR, FULL, NOTADB  -> InfraErrc::unavailable
//   anything else                  -> DbErrc::query_failed
// `detail` is for the logs (SQLite's message); it never carries parameter values.
Error sqlite_error(int extended_code, std::string detail);

}  // namespace authsvc::storage
