#pragma once

#include <string>

#include "storage/traced_sql_database.hpp"

namespace authsvc::storage {

// Server address, port and database of a libpq connection string (URL or key=value), as spans
// name them; never the user or the password. Defaults of libpq for what it leaves out.
SqlSpanTarget postgres_span_target(const std::string& conninfo);

}  // namespace authsvc::storage
