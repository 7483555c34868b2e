#include "storage/sqlite/sqlite_connection.hpp"

#include <sqlite3.h>

#include <climits>

#include "storage/sqlite/sqlite_errors.hpp"
#include "storage/sqlite/sqlite_placeholders.hpp"

namespace authsvc::storage {
namespace {

constexpr std::size_t kStatementCacheLimit = 256;

bool is_memory_path(const std::string& path) {
  return path == ":memory:" || path.empty();
}

// True when only whitespace, comments and semicolons remain (the tail after one statement).
bool only_trivia(const char* p, const char* end) {
  while (p < end) {
    const char c = *p;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == ';') {
      ++p;
    } else if (c == '-' && p + 1 < end && p[1] == '-') {
      while (p < end && *p != '\n') ++p;
    } else if (c == '/' && p + 1 < end && p[1] == '*') {
      p += 2;
      while (p + 1 < end && !(p[0] == '*' && p[1] == '/')) ++p;
      p += 2;
    } else {
      return false;
    }
  }
  return true;
}

SqlCell read_cell(sqlite3_stmt* stmt, int column) {
  switch (sqlite3_column_type(stmt, column)) {
    case SQLITE_NULL:
      return std::nullopt;
    case SQLITE_BLOB: {
      const void* data = sqlite3_column_blob(stmt, column);
      const int size = sqlite3_column_bytes(stmt, column);
      return std::string(static_cast<const char*>(data), static_cast<std::size_t>(size));
    }
    default: {
      // Integers come back as decimal text, reals in SQLite's round-trip notation.
      const unsigned char* text = sqlite3_column_text(stmt, column);
      const int size = sqlite3_column_bytes(stmt, column);
      if (text == nullptr) return std::string();
      return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
    }
  }
}

// Resets a cached statement whatever the way out of execute().
class StatementReset {
 public:
  explicit StatementReset(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~StatementReset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  StatementReset(const StatementReset&) = delete;
  StatementReset& operator=(const StatementReset&) = delete;

 private:
  sqlite3_stmt* stmt_;
};

}  // namespace

SqliteConnection::SqliteConnection(SqliteConnectionOptions options)
    : options_(std::move(options)) {}

SqliteConnection::~SqliteConnection() {
  close();
}

void SqliteConnection::close() noexcept {
  for (auto& entry : statements_) sqlite3_finalize(entry.second);
  statements_.clear();
  if (db_ != nullptr) {
    sqlite3_close_v2(db_);
    db_ = nullptr;
  }
}

Error SqliteConnection::last_error() const {
  if (db_ == nullptr) return sqlite_error(SQLITE_CANTOPEN, "sqlite connection is not open");
  return sqlite_error(sqlite3_extended_errcode(db_), sqlite3_errmsg(db_));
}

Result<void> SqliteConnection::ensure_open() {
  if (db_ != nullptr) return ok_result();
  const bool memory = is_memory_path(options_.path);
  const std::string path = memory ? std::string(":memory:") : options_.path;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (path.rfind("file:", 0) == 0) flags |= SQLITE_OPEN_URI;
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string detail = "cannot open sqlite database '" + options_.path +
                         "': " + (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    sqlite3_close_v2(db);
    return Error(InfraErrc::unavailable, std::move(detail));
  }
  db_ = db;
  sqlite3_extended_result_codes(db_, 1);
  const auto timeout = options_.busy_timeout.count();
  sqlite3_busy_timeout(db_, timeout > INT_MAX ? INT_MAX : static_cast<int>(timeout));
  // WAL lets readers run beside the one writer; NORMAL is durable across application crashes
  // (an OS crash may lose the last transactions, never corrupt the file).
  const char* pragmas = memory ? "PRAGMA foreign_keys = ON;"
                               : "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
                                 "PRAGMA foreign_keys = ON;";
  char* message = nullptr;
  if (sqlite3_exec(db_, pragmas, nullptr, nullptr, &message) != SQLITE_OK) {
    Error error = last_error();
    error.detail = "cannot set up sqlite database '" + options_.path +
                   "': " + (message != nullptr ? message : error.detail);
    sqlite3_free(message);
    close();
    // A file that is not a database, or one we cannot lock, is an unusable backend.
    if (!is_category<InfraErrc>(error.code)) return Error(InfraErrc::unavailable, error.detail);
    return error;
  }
  return ok_result();
}

Result<sqlite3_stmt*> SqliteConnection::prepare(std::string_view sql) {
  const std::string key(sql);
  if (auto found = statements_.find(key); found != statements_.end()) return found->second;

  const std::string text = rewrite_placeholders_for_sqlite(sql);
  if (text.size() > static_cast<std::size_t>(INT_MAX)) {
    return Error(DbErrc::query_failed, "statement too long");
  }
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  const int rc = sqlite3_prepare_v3(db_, text.c_str(), static_cast<int>(text.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
  if (rc != SQLITE_OK) return last_error();
  if (tail != nullptr && !only_trivia(tail, text.c_str() + text.size())) {
    sqlite3_finalize(stmt);
    return Error(DbErrc::query_failed, "more than one statement (use execute_script)");
  }
  if (stmt == nullptr) return static_cast<sqlite3_stmt*>(nullptr);  // only comments
  if (statements_.size() >= kStatementCacheLimit) {
    for (auto& entry : statements_) sqlite3_finalize(entry.second);
    statements_.clear();
  }
  statements_.emplace(key, stmt);
  return stmt;
}

Result<SqlResult> SqliteConnection::execute(std::string_view sql,
                                            const std::vector<SqlParam>& params) {
  const std::lock_guard lock(mutex_);
  if (auto opened = ensure_open(); !opened) return opened.take_error();
  auto prepared = prepare(sql);
  if (!prepared) return prepared.take_error();
  SqlResult result;
  sqlite3_stmt* stmt = *prepared;
  if (stmt == nullptr) return result;
  const StatementReset reset(stmt);

  const int expected = sqlite3_bind_parameter_count(stmt);
  if (static_cast<std::size_t>(expected) != params.size()) {
    return Error(DbErrc::query_failed, "statement expects " + std::to_string(expected) +
                                           " parameters, got " + std::to_string(params.size()));
  }
  for (std::size_t i = 0; i < params.size(); ++i) {
    const int index = static_cast<int>(i) + 1;
    int rc = SQLITE_OK;
    if (params[i]) {
      rc = sqlite3_bind_text64(stmt, index, params[i]->data(), params[i]->size(), SQLITE_TRANSIENT,
                               SQLITE_UTF8);
    } else {
      rc = sqlite3_bind_null(stmt, index);
    }
    if (rc != SQLITE_OK) return last_error();
  }

  const int columns = sqlite3_column_count(stmt);
  result.columns.reserve(static_cast<std::size_t>(columns));
  for (int c = 0; c < columns; ++c) {
    const char* name = sqlite3_column_name(stmt, c);
    result.columns.emplace_back(name != nullptr ? name : "");
  }
  const sqlite3_int64 changes_before = sqlite3_total_changes64(db_);
  for (;;) {
    const int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
      std::vector<SqlCell> row;
      row.reserve(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c) row.push_back(read_cell(stmt, c));
      result.rows.push_back(std::move(row));
    } else if (rc == SQLITE_DONE) {
      break;
    } else {
      return last_error();
    }
  }
  if (sqlite3_stmt_readonly(stmt)) {
    result.affected_rows = static_cast<std::int64_t>(result.rows.size());
  } else if (sqlite3_total_changes64(db_) != changes_before) {
    result.affected_rows = sqlite3_changes64(db_);
  }
  return result;
}

Result<void> SqliteConnection::execute_script(std::string_view sql) {
  const std::lock_guard lock(mutex_);
  if (auto opened = ensure_open(); !opened) return opened.take_error();
  const std::string script(sql);
  char* message = nullptr;
  if (sqlite3_exec(db_, script.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    Error error = last_error();
    if (message != nullptr) error.detail = message;
    sqlite3_free(message);
    if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    return error;
  }
  return ok_result();
}

void SqliteConnection::rollback_if_open() noexcept {
  const std::lock_guard lock(mutex_);
  if (db_ != nullptr && !sqlite3_get_autocommit(db_)) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

}  // namespace authsvc::storage
