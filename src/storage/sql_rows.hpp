#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "storage/sql_database.hpp"

namespace authsvc::storage {

// The first column of every row (NULLs skipped).
inline std::vector<std::string> first_column(const SqlResult& rows) {
  std::vector<std::string> out;
  out.reserve(rows.size());
  for (const auto& row : rows.rows) {
    if (!row.empty() && row[0]) out.push_back(*row[0]);
  }
  return out;
}

// A stored timestamp cell as a time point (nullopt for NULL or an unreadable value).
inline std::optional<TimePoint> cell_as_time(const SqlCell& cell) {
  if (!cell) return std::nullopt;
  return parse_timestamp(*cell);
}

}  // namespace authsvc::storage
