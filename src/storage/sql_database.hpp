#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error_category.hpp"
#include "common/result.hpp"

namespace authsvc::storage {

// Errors of a statement that reached the database. Connectivity problems are InfraErrc.
enum class DbErrc {
  unique_violation = 1,
  foreign_key_violation,
  constraint_violation,
  serialization_failure,
  query_failed,
};

const char* error_category_name(DbErrc) noexcept;
const char* describe(DbErrc e) noexcept;
inline std::error_code make_error_code(DbErrc e) noexcept {
  return make_enum_error_code(e);
}

// Parameters travel as text (NULL = nullopt), in both backends; statements use $1..$N placeholders.
using SqlParam = std::optional<std::string>;
using SqlCell = std::optional<std::string>;

struct SqlResult {
  std::vector<std::string> columns;
  std::vector<std::vector<SqlCell>> rows;
  std::int64_t affected_rows = 0;

  bool empty() const noexcept { return rows.empty(); }
  std::size_t size() const noexcept { return rows.size(); }
  const SqlCell& at(std::size_t row, std::size_t column) const { return rows.at(row).at(column); }
};

enum class SqlDialect { postgres, sqlite };

// One connection held for a sequence of statements (a transaction).
class SqlSession {
 public:
  virtual ~SqlSession() = default;
  virtual boost::asio::awaitable<Result<SqlResult>> execute(std::string_view sql,
                                                            std::vector<SqlParam> params = {}) = 0;
};

using TransactionWork = std::function<boost::asio::awaitable<Result<void>>(SqlSession&)>;

// The seam between repositories and a concrete database. Every method may be awaited from any
// executor: implementations run their I/O elsewhere and resume the caller on its own executor.
class SqlDatabase {
 public:
  virtual ~SqlDatabase() = default;
  virtual SqlDialect dialect() const noexcept = 0;
  // One statement on any free connection.
  virtual boost::asio::awaitable<Result<SqlResult>> execute(std::string_view sql,
                                                            std::vector<SqlParam> params = {}) = 0;
  // BEGIN, work, COMMIT on one connection; ROLLBACK when work fails.
  virtual boost::asio::awaitable<Result<void>> transaction(TransactionWork work) = 0;
  // Several statements without parameters, as one script (migrations).
  virtual boost::asio::awaitable<Result<void>> execute_script(std::string_view sql) = 0;
};

// A boolean parameter both backends accept ('1'/'0' is valid PostgreSQL boolean input and an
// INTEGER in SQLite).
inline SqlParam sql_bool(bool value) {
  return std::string(value ? "1" : "0");
}

// Helpers for reading cells the same way from both backends.
bool cell_as_bool(const SqlCell& cell);
std::int64_t cell_as_int(const SqlCell& cell);

}  // namespace authsvc::storage

template <>
struct std::is_error_code_enum<authsvc::storage::DbErrc> : std::true_type {};
