#pragma once

#include <libpq-fe.h>

#include <string_view>
#include <system_error>

#include "common/error.hpp"

namespace authsvc::storage::postgres {

// Our code for a SQLSTATE: integrity violations and serialization failures become DbErrc,
// connection-class states (08xxx, 57P0x, 53300) InfraErrc::unavailable, a cancelled statement
// (57014) InfraErrc::timeout, anything else DbErrc::query_failed.
std::error_code sqlstate_error_code(std::string_view sqlstate) noexcept;

// True when a SQLSTATE says the connection itself is going away (the server shuts down, ...).
bool is_connection_sqlstate(std::string_view sqlstate) noexcept;

// The error of a failed result: code by SQLSTATE, detail "SQLSTATE xxxxx: <server message>"
// (plus the constraint name when there is one). The detail is for logs only.
Error result_error(const PGresult* result);

// InfraErrc::unavailable with libpq's last message about `conn`, prefixed by what we were doing.
Error connection_error(const PGconn* conn, std::string_view doing);

}  // namespace authsvc::storage::postgres
