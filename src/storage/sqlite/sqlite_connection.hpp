#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.hpp"
#include "storage/sql_database.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace authsvc::storage {

// How every connection of one SqliteDatabase opens its file.
struct SqliteConnectionOptions {
  std::string path;  // a file path, ":memory:" or a "file:" URI
  std::chrono::milliseconds busy_timeout{5000};
};

// One blocking SQLite connection. It opens lazily (so a missing directory or a locked file is an
// error of the statement, InfraErrc::unavailable, not a crash), keeps a small cache of prepared
// statements, and serialises its callers with a mutex: it may move between threads but is never
// used by two at once. Call only from the database's worker threads, never from an I/O thread.
class SqliteConnection {
 public:
  explicit SqliteConnection(SqliteConnectionOptions options);
  ~SqliteConnection();
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  // One statement with `$N` placeholders and text parameters; cells come back as text.
  Result<SqlResult> execute(std::string_view sql, const std::vector<SqlParam>& params);
  // Several statements without parameters (sqlite3_exec).
  Result<void> execute_script(std::string_view sql);
  // Rolls back a transaction left open (after a failed BEGIN ... COMMIT); no-op otherwise.
  void rollback_if_open() noexcept;

 private:
  Result<void> ensure_open();
  Result<sqlite3_stmt*> prepare(std::string_view sql);
  Error last_error() const;
  void close() noexcept;

  SqliteConnectionOptions options_;
  std::mutex mutex_;
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace authsvc::storage
