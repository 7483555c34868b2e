#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <memory>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "storage/postgres/postgres_config.hpp"
#include "storage/sql_database.hpp"

namespace authsvc::storage {

namespace postgres {
class PgClient;
}

// SqlDatabase on PostgreSQL through libpq, asynchronous end to end: libpq in non-blocking mode on
// the Asio socket, a small pool, a deadline on every step.
//
// All libpq work runs on `executor` (serialised through a strand; the app gives it a dedicated
// single-threaded io_context). The methods may be awaited from any executor: they hop to the
// database's and resume the caller on its own. Errors: DbErrc for statements the server rejected
// (the server's message in Error::detail), InfraErrc::unavailable when the server cannot be reached
// or the connection died, InfraErrc::timeout when a deadline passed.
//
// Shutdown order: destroy it before its io_context (operations still in flight then finish on that
// io_context, or are destroyed with it); and stop the database's thread before destroying an
// io_context that awaited it, since the hop back holds the caller's executor until it has finished.
class PostgresDatabase final : public SqlDatabase {
 public:
  // Throws std::invalid_argument for a pool_size of 0 or a non-positive timeout. Connects lazily.
  PostgresDatabase(boost::asio::any_io_executor executor, PostgresConfig config);
  ~PostgresDatabase() override;
  PostgresDatabase(const PostgresDatabase&) = delete;
  PostgresDatabase& operator=(const PostgresDatabase&) = delete;

  SqlDialect dialect() const noexcept override { return SqlDialect::postgres; }
  boost::asio::awaitable<Result<SqlResult>> execute(std::string_view sql,
                                                    std::vector<SqlParam> params = {}) override;
  boost::asio::awaitable<Result<void>> transaction(TransactionWork work) override;
  boost::asio::awaitable<Result<void>> execute_script(std::string_view sql) override;

  // Closes idle connections and fails waiting callers; statements in flight finish, then their
  // connections close. Later calls fail with InfraErrc::unavailable. Idempotent; does not block.
  void close();

 private:
  std::shared_ptr<postgres::PgClient> client_;
};

}  // namespace authsvc::storage
