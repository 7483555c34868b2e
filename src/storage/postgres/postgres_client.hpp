#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/strand.hpp>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "storage/postgres/postgres_config.hpp"
#include "storage/postgres/postgres_pool.hpp"
#include "storage/sql_database.hpp"

namespace authsvc::storage::postgres {

// The statement-level policy on top of the pool: deadlines, one retry on a fresh connection when a
// reused one turned out dead (outside transactions), BEGIN/COMMIT/ROLLBACK, and a best-effort
// cancel of statements that passed their deadline.
//
// Everything here runs on strand(); PostgresDatabase hops there. The coroutines are static and take
// the client by shared_ptr, so it outlives every operation in flight (also after close()).
class PgClient : public std::enable_shared_from_this<PgClient> {
 public:
  using Strand = boost::asio::strand<boost::asio::any_io_executor>;

  PgClient(Strand strand, PostgresConfig config);

  const Strand& strand() const noexcept { return strand_; }
  const PostgresConfig& config() const noexcept { return config_; }
  PgPool& pool() noexcept { return pool_; }

  static boost::asio::awaitable<Result<SqlResult>> execute(std::shared_ptr<PgClient> self,
                                                           std::string sql,
                                                           std::vector<SqlParam> params);
  static boost::asio::awaitable<Result<void>> transaction(std::shared_ptr<PgClient> self,
                                                          TransactionWork work);
  static boost::asio::awaitable<Result<void>> execute_script(std::shared_ptr<PgClient> self,
                                                             std::string sql);

  // Idle connections close now, waiters fail, connections in use close when their statement ends.
  void close();

 private:
  // Returns a lease after use: a connection that timed out leaves the pool and gets cancelled.
  void finish(PgLease lease);
  static boost::asio::awaitable<void> cancel_backend(std::shared_ptr<PgClient> self,
                                                     std::unique_ptr<PgConnection> conn);
  Clock::time_point statement_deadline() const { return Clock::now() + config_.query_timeout; }

  Strand strand_;
  PostgresConfig config_;
  PgPool pool_;
  std::size_t cancels_in_flight_ = 0;
};

}  // namespace authsvc::storage::postgres
