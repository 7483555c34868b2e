#include "storage/postgres/postgres_client.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <utility>

#include "storage/postgres/postgres_session.hpp"

namespace authsvc::storage::postgres {

namespace asio = boost::asio;
using asio::awaitable;

PgClient::PgClient(Strand strand, PostgresConfig config)
    : strand_(std::move(strand)), config_(std::move(config)), pool_(strand_, config_) {}

awaitable<Result<SqlResult>> PgClient::execute(std::shared_ptr<PgClient> self, std::string sql,
                                               std::vector<SqlParam> params) {
  for (int attempt = 0;; ++attempt) {
    const bool fresh = attempt > 0;
    auto lease = co_await self->pool_.acquire(fresh);
    if (!lease) co_return lease.take_error();
    // Only a statement on a reused connection may need a second try: keep copies for it.
    const bool may_retry = !fresh && lease->reused();
    // Named, not `cond ? a : std::move(a)` inside the co_await: g++ 12 destroys such temporaries
    // twice.
    std::string attempt_sql = may_retry ? sql : std::move(sql);
    std::vector<SqlParam> attempt_params = may_retry ? params : std::move(params);
    auto result = co_await lease->connection().execute(
        std::move(attempt_sql), std::move(attempt_params), self->statement_deadline());
    const bool retry = !result && may_retry && lease->connection().failed_before_answer();
    self->finish(std::move(*lease));
    if (!retry) co_return result;
    spdlog::info("postgres: a pooled connection was dead ({}); retrying on a new one",
                 result.error().describe());
  }
}

awaitable<Result<void>> PgClient::execute_script(std::shared_ptr<PgClient> self, std::string sql) {
  for (int attempt = 0;; ++attempt) {
    const bool fresh = attempt > 0;
    auto lease = co_await self->pool_.acquire(fresh);
    if (!lease) co_return lease.take_error();
    const bool may_retry = !fresh && lease->reused();
    std::string attempt_sql = may_retry ? sql : std::move(sql);
    auto result = co_await lease->connection().execute_script(std::move(attempt_sql),
                                                              self->statement_deadline());
    const bool retry = !result && may_retry && lease->connection().failed_before_answer();
    self->finish(std::move(*lease));
    if (!retry) co_return result;
    spdlog::info("postgres: a pooled connection was dead ({}); retrying on a new one",
                 result.error().describe());
  }
}

awaitable<Result<void>> PgClient::transaction(std::shared_ptr<PgClient> self,
                                              TransactionWork work) {
  if (!work) co_return Error(InfraErrc::internal, "transaction without work");

  // BEGIN may be retried like any statement: nothing of the work has run yet.
  PgLease lease;
  for (int attempt = 0;; ++attempt) {
    const bool fresh = attempt > 0;
    auto acquired = co_await self->pool_.acquire(fresh);
    if (!acquired) co_return acquired.take_error();
    lease = std::move(*acquired);
    auto begun = co_await lease->execute("BEGIN", {}, self->statement_deadline());
    if (begun) break;
    const bool retry = !fresh && lease.reused() && lease->failed_before_answer();
    self->finish(std::move(lease));
    if (!retry) co_return begun.take_error();
  }

  // The work's statements are never retried: on another connection they would run outside the
  // transaction.
  PgConnection& conn = lease.connection();
  PgSession session(self->strand_, conn, self->config_.query_timeout);
  Result<void> outcome = co_await work(session);
  session.end();

  if (outcome && conn.broken()) {
    // The work said yes, but a statement failed with the connection (and the work ignored it).
    outcome = session.first_error()
                  ? *session.first_error()
                  : Error(InfraErrc::unavailable, "PostgreSQL connection lost in a transaction");
  } else if (outcome && conn.in_failed_transaction()) {
    // COMMIT would quietly roll back: report the statement error the work swallowed instead.
    outcome = session.first_error()
                  ? *session.first_error()
                  : Error(DbErrc::query_failed, "the transaction was aborted by an earlier error");
  }
  if (outcome) {
    auto committed = co_await conn.execute("COMMIT", {}, self->statement_deadline());
    if (committed) {
      self->finish(std::move(lease));
      co_return ok_result();
    }
    outcome = committed.take_error();
  }
  if (!conn.broken() && conn.in_transaction()) {
    auto rolled_back = co_await conn.execute("ROLLBACK", {}, self->statement_deadline());
    if (!rolled_back)
      spdlog::debug("postgres: ROLLBACK failed: {}", rolled_back.error().describe());
  }
  self->finish(std::move(lease));
  co_return outcome;
}

void PgClient::finish(PgLease lease) {
  if (!lease->timed_out()) return;  // the lease goes back to the pool as it ends
  // The server may still be running the statement: take the connection out of the pool and cancel.
  std::unique_ptr<PgConnection> conn = lease.detach();
  if (pool_.closed() || cancels_in_flight_ >= config_.pool_size) return;
  ++cancels_in_flight_;
  asio::co_spawn(strand_, cancel_backend(shared_from_this(), std::move(conn)), asio::detached);
}

awaitable<void> PgClient::cancel_backend(std::shared_ptr<PgClient> self,
                                         std::unique_ptr<PgConnection> conn) {
  struct Count {
    PgClient* client;
    ~Count() { --client->cancels_in_flight_; }
  } count{self.get()};
  // The cancel goes through a connection of its own (libpq 15's PQcancel would block); holding on
  // to the timed-out connection until then keeps its backend pid from being reused meanwhile.
  const int pid = conn->backend_pid();
  auto side = co_await PgConnection::connect(self->strand_, self->config_.conninfo,
                                             Clock::now() + self->config_.connect_timeout);
  if (!side) {
    spdlog::debug("postgres: cannot cancel backend {}: {}", pid, side.error().describe());
    co_return;
  }
  std::vector<SqlParam> params;
  params.emplace_back(std::to_string(pid));
  auto cancelled = co_await (*side)->execute(std::string("SELECT pg_cancel_backend($1)"),
                                             std::move(params), self->statement_deadline());
  if (!cancelled)
    spdlog::debug("postgres: cancelling backend {} failed: {}", pid, cancelled.error().describe());
}

void PgClient::close() {
  pool_.close();
}

}  // namespace authsvc::storage::postgres
