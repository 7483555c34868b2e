#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <deque>
#include <memory>
#include <vector>

#include "common/result.hpp"
#include "storage/postgres/postgres_config.hpp"
#include "storage/postgres/postgres_connection.hpp"

namespace authsvc::storage::postgres {

class PgPool;

// A connection taken from the pool; it goes back (or is discarded when unfit) when the lease ends.
class PgLease {
 public:
  PgLease() = default;
  PgLease(PgPool* pool, std::unique_ptr<PgConnection> conn, bool reused) noexcept;
  PgLease(PgLease&& other) noexcept;
  PgLease& operator=(PgLease&& other) noexcept;
  PgLease(const PgLease&) = delete;
  PgLease& operator=(const PgLease&) = delete;
  ~PgLease();

  PgConnection& connection() const noexcept { return *conn_; }
  PgConnection* operator->() const noexcept { return conn_.get(); }
  // The connection had served before (it came from the idle pool), so it may have died meanwhile.
  bool reused() const noexcept { return reused_; }
  // Returns the connection to the pool now (idle, or discarded when it is not reusable).
  void give_back();
  // Takes the connection out of the pool for good: its slot frees up, the caller owns it.
  std::unique_ptr<PgConnection> detach();

 private:
  PgPool* pool_ = nullptr;
  std::unique_ptr<PgConnection> conn_;
  bool reused_ = false;
};

// Up to pool_size connections, opened lazily. Waiters queue first come, first served, and give up
// after acquire_timeout (InfraErrc::timeout). When opening a connection fails, the queued waiters
// fail with the same error at once: the server is down, nobody should wait for it.
//
// Single-threaded: every member runs on the executor (a strand) given at construction.
class PgPool {
 public:
  PgPool(boost::asio::any_io_executor executor, PostgresConfig config);
  PgPool(const PgPool&) = delete;
  PgPool& operator=(const PgPool&) = delete;
  ~PgPool();

  // A healthy connection: an idle one, a new one, or the next one given back. With `fresh`, always
  // a newly opened connection (to retry after a reused one turned out dead).
  boost::asio::awaitable<Result<PgLease>> acquire(bool fresh = false);

  // Closes idle connections, fails waiters; connections in use are closed when given back.
  void close();
  bool closed() const noexcept { return closed_; }

  // Counters for tests and metrics.
  std::size_t open_connections() const noexcept { return open_; }
  std::size_t idle_connections() const noexcept { return idle_.size(); }

 private:
  friend class PgLease;
  struct Waiter;

  void give_back(std::unique_ptr<PgConnection> conn);
  // A counted connection left the pool: its slot goes to the first waiter, else it is freed.
  void release_slot();
  // Opens a connection for a slot already counted in open_.
  boost::asio::awaitable<Result<PgLease>> open_in_slot();
  void fail_waiters(const Error& error);

  boost::asio::any_io_executor executor_;
  PostgresConfig config_;
  std::vector<std::unique_ptr<PgConnection>> idle_;
  std::deque<Waiter*> waiters_;
  std::size_t open_ = 0;  // idle + leased + being opened
  bool closed_ = false;
};

}  // namespace authsvc::storage::postgres
