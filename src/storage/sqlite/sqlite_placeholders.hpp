#pragma once

#include <string>
#include <string_view>

namespace authsvc::storage {

// Rewrites PostgreSQL-style `$N` placeholders to SQLite's `?N`, leaving string literals ('...'),
// quoted identifiers ("...", `...`, [...]) and comments (-- and /* */) untouched. `?N` binds by
// number, so `$2 ... $1` and a placeholder used twice keep their PostgreSQL meaning.
std::string rewrite_placeholders_for_sqlite(std::string_view sql);

}  // namespace authsvc::storage
