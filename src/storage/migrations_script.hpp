#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace authsvc::storage {

// Splits a migration script into statements at top-level semicolons, so each one can run through
// SqlSession::execute inside the migration's transaction. Understands what both dialects put in
// migrations: '...' and E'...' literals, "..." identifiers, -- and nested /* */ comments,
// PostgreSQL $tag$...$tag$ bodies (DO blocks, functions) and SQLite CREATE TRIGGER ... BEGIN ...
// END. Statements made only of comments are dropped. Unterminated quotes or comments are an error
// (MigrationErrc::invalid_migration_set).
Result<std::vector<std::string>> split_sql_script(std::string_view script);

}  // namespace authsvc::storage
