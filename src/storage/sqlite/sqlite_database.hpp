#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "storage/sql_database.hpp"

namespace authsvc::storage {

class SqlitePool;

// SqlDatabase over an SQLite file (the embedded mode). SQLite's API blocks, so statements run on a
// small internal thread pool (one thread per connection) and the awaiting coroutine resumes on its
// own executor. Each connection serves one caller at a time; callers wait asynchronously for a free
// one. Connections use WAL, synchronous=NORMAL, foreign_keys=ON and a busy timeout; transactions
// start with BEGIN IMMEDIATE so two writers queue on the lock instead of failing at COMMIT.
//
// `path` ":memory:" gives a private in-memory database with a single connection (tests); any other
// path is a file whose parent directories are created. Do not await db.execute() inside
// transaction(): with every connection held by transactions that wait for another one, it would
// deadlock; use the session instead.
class SqliteDatabase final : public SqlDatabase {
 public:
  explicit SqliteDatabase(std::string path, std::size_t connections = 2,
                          std::chrono::milliseconds busy_timeout = std::chrono::seconds(5));
  // Waits for statements in flight, then closes every connection.
  ~SqliteDatabase() override;
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  SqlDialect dialect() const noexcept override { return SqlDialect::sqlite; }
  boost::asio::awaitable<Result<SqlResult>> execute(std::string_view sql,
                                                    std::vector<SqlParam> params = {}) override;
  boost::asio::awaitable<Result<void>> transaction(TransactionWork work) override;
  boost::asio::awaitable<Result<void>> execute_script(std::string_view sql) override;

  const std::string& path() const noexcept;
  std::size_t connections() const noexcept;

 private:
  std::unique_ptr<SqlitePool> pool_;
};

}  // namespace authsvc::storage
