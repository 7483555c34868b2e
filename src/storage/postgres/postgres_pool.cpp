#include "storage/postgres/postgres_pool.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>
#include <string>
#include <utility>

namespace authsvc::storage::postgres {

namespace asio = boost::asio;
using asio::awaitable;

// A coroutine waiting in acquire(); it lives in that coroutine's frame. Whoever serves it pops it
// from the queue, fills one of the three outcomes and cancels the timer to wake it.
struct PgPool::Waiter {
  explicit Waiter(const asio::any_io_executor& executor) : timer(executor) {}
  asio::steady_timer timer;
  std::unique_ptr<PgConnection> conn;  // a connection given back
  bool slot = false;                   // or room to open a new one
  std::optional<Error> error;          // or a failure to pass on
};

// ---- PgLease

PgLease::PgLease(PgPool* pool, std::unique_ptr<PgConnection> conn, bool reused) noexcept
    : pool_(pool), conn_(std::move(conn)), reused_(reused) {}

PgLease::PgLease(PgLease&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)),
      conn_(std::move(other.conn_)),
      reused_(other.reused_) {}

PgLease& PgLease::operator=(PgLease&& other) noexcept {
  if (this != &other) {
    give_back();
    pool_ = std::exchange(other.pool_, nullptr);
    conn_ = std::move(other.conn_);
    reused_ = other.reused_;
  }
  return *this;
}

PgLease::~PgLease() {
  give_back();
}

void PgLease::give_back() {
  if (pool_ != nullptr && conn_) pool_->give_back(std::move(conn_));
  conn_.reset();
  pool_ = nullptr;
}

std::unique_ptr<PgConnection> PgLease::detach() {
  if (pool_ != nullptr && conn_) pool_->release_slot();
  pool_ = nullptr;
  return std::move(conn_);
}

// ---- PgPool

PgPool::PgPool(asio::any_io_executor executor, PostgresConfig config)
    : executor_(std::move(executor)), config_(std::move(config)) {}

PgPool::~PgPool() {
  // Waiters keep the pool's owner alive, so none can be queued any more; idle connections close
  // here.
  idle_.clear();
}

awaitable<Result<PgLease>> PgPool::acquire(bool fresh) {
  if (closed_) co_return Error(InfraErrc::unavailable, "the PostgreSQL pool is closed");
  const auto deadline = Clock::now() + config_.acquire_timeout;

  // Nobody queued: serve at once (otherwise join the queue, never overtake it).
  if (waiters_.empty()) {
    while (!idle_.empty()) {
      std::unique_ptr<PgConnection> conn = std::move(idle_.back());
      idle_.pop_back();
      if (!fresh && conn->check_idle_alive()) co_return PgLease(this, std::move(conn), true);
      conn.reset();  // dead, or making room for a fresh one
      --open_;
      if (fresh) break;
    }
    if (open_ < config_.pool_size) {
      ++open_;
      co_return co_await open_in_slot();
    }
  }

  Waiter waiter(executor_);
  waiter.timer.expires_at(deadline);
  waiters_.push_back(&waiter);
  struct Dequeue {  // leave the queue however this coroutine ends (timeout, or frame destroyed)
    PgPool* pool;
    Waiter* waiter;
    ~Dequeue() {
      auto& queue = pool->waiters_;
      if (auto it = std::find(queue.begin(), queue.end(), waiter); it != queue.end())
        queue.erase(it);
    }
  } dequeue{this, &waiter};
  (void)co_await waiter.timer.async_wait(asio::as_tuple(asio::use_awaitable));

  if (waiter.conn) {
    if (!fresh && waiter.conn->check_idle_alive())
      co_return PgLease(this, std::move(waiter.conn), true);
    waiter.conn.reset();  // its slot is ours: open a new connection in it
    co_return co_await open_in_slot();
  }
  if (waiter.slot) co_return co_await open_in_slot();
  if (waiter.error) co_return std::move(*waiter.error);
  co_return Error(InfraErrc::timeout, "no PostgreSQL connection free within " +
                                          std::to_string(config_.acquire_timeout.count()) + " ms");
}

awaitable<Result<PgLease>> PgPool::open_in_slot() {
  auto conn = co_await PgConnection::connect(executor_, config_.conninfo,
                                             Clock::now() + config_.connect_timeout);
  if (!conn) {
    --open_;
    spdlog::debug("postgres connect failed: {}", conn.error().describe());
    fail_waiters(conn.error());
    co_return conn.take_error();
  }
  if (closed_) {
    --open_;
    co_return Error(InfraErrc::unavailable, "the PostgreSQL pool is closed");
  }
  co_return PgLease(this, std::move(*conn), false);
}

void PgPool::give_back(std::unique_ptr<PgConnection> conn) {
  if (closed_ || !conn->reusable()) {
    conn.reset();
    release_slot();
    return;
  }
  if (!waiters_.empty()) {
    Waiter* next = waiters_.front();
    waiters_.pop_front();
    next->conn = std::move(conn);
    next->timer.cancel();
    return;
  }
  idle_.push_back(std::move(conn));
}

void PgPool::release_slot() {
  if (!closed_ && !waiters_.empty()) {
    Waiter* next = waiters_.front();
    waiters_.pop_front();
    next->slot = true;
    next->timer.cancel();
    return;
  }
  --open_;
}

void PgPool::fail_waiters(const Error& error) {
  std::deque<Waiter*> queue;
  queue.swap(waiters_);
  for (Waiter* waiter : queue) {
    waiter->error = error;
    waiter->timer.cancel();
  }
}

void PgPool::close() {
  if (closed_) return;
  closed_ = true;
  open_ -= idle_.size();
  idle_.clear();
  fail_waiters(Error(InfraErrc::unavailable, "the PostgreSQL pool is closed"));
}

}  // namespace authsvc::storage::postgres
