#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/system/error_code.hpp>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "storage/sql_database.hpp"
#include "storage/sqlite/sqlite_connection.hpp"

namespace authsvc::storage {

// The connections of one SQLite database and the worker threads that run their blocking calls.
// A free connection waits in a channel; acquire() awaits one without blocking the caller's thread.
class SqlitePool {
 public:
  // Returns its connection to the pool when destroyed.
  class Lease {
   public:
    Lease(SqlitePool* pool, SqliteConnection* connection) : pool_(pool), connection_(connection) {}
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&& other) noexcept;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();
    SqliteConnection* connection() const { return connection_; }

   private:
    void release() noexcept;
    SqlitePool* pool_;
    SqliteConnection* connection_;
  };

  SqlitePool(SqliteConnectionOptions options, std::size_t connections);
  // Cancels waiters, waits for calls in flight and closes the connections.
  ~SqlitePool();
  SqlitePool(const SqlitePool&) = delete;
  SqlitePool& operator=(const SqlitePool&) = delete;

  boost::asio::awaitable<Result<Lease>> acquire();
  // The blocking calls of SqliteConnection, run on a worker thread.
  boost::asio::awaitable<Result<SqlResult>> run(SqliteConnection* connection, std::string sql,
                                                std::vector<SqlParam> params);
  boost::asio::awaitable<Result<void>> run_script(SqliteConnection* connection, std::string sql);
  boost::asio::awaitable<Result<void>> rollback_if_open(SqliteConnection* connection);

  const std::string& path() const noexcept { return path_; }
  std::size_t size() const noexcept { return connections_.size(); }

 private:
  using Channel = boost::asio::experimental::concurrent_channel<void(boost::system::error_code,
                                                                     SqliteConnection*)>;
  std::string path_;
  boost::asio::thread_pool workers_;
  std::vector<std::unique_ptr<SqliteConnection>> connections_;
  Channel free_;
};

}  // namespace authsvc::storage
