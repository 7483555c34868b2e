#include "storage/sqlite/sqlite_pool.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <utility>

#include "storage/sqlite/blocking_call.hpp"

namespace authsvc::storage {
namespace {

// Blocking calls must not let an exception escape onto a worker thread.
template <class T, class Fn>
T guarded(Fn&& fn) noexcept {
  try {
    return fn();
  } catch (const std::exception& e) {
    return Error(InfraErrc::internal, std::string("sqlite call failed: ") + e.what());
  } catch (...) {
    return Error(InfraErrc::internal, "sqlite call failed");
  }
}

}  // namespace

SqlitePool::Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_), connection_(std::exchange(other.connection_, nullptr)) {}

SqlitePool::Lease& SqlitePool::Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    release();
    pool_ = other.pool_;
    connection_ = std::exchange(other.connection_, nullptr);
  }
  return *this;
}

SqlitePool::Lease::~Lease() {
  release();
}

void SqlitePool::Lease::release() noexcept {
  if (connection_ != nullptr) {
    // The channel's buffer holds every connection, so this never fails while the pool is open.
    pool_->free_.try_send(boost::system::error_code(), connection_);
    connection_ = nullptr;
  }
}

SqlitePool::SqlitePool(SqliteConnectionOptions options, std::size_t connections)
    : path_(options.path), workers_(connections), free_(workers_.get_executor(), connections) {
  connections_.reserve(connections);
  for (std::size_t i = 0; i < connections; ++i) {
    connections_.push_back(std::make_unique<SqliteConnection>(options));
    free_.try_send(boost::system::error_code(), connections_.back().get());
  }
}

SqlitePool::~SqlitePool() {
  free_.cancel();
  free_.close();
  workers_.join();
}

boost::asio::awaitable<Result<SqlitePool::Lease>> SqlitePool::acquire() {
  auto [ec, connection] =
      co_await free_.async_receive(boost::asio::as_tuple(boost::asio::use_awaitable));
  if (ec || connection == nullptr) {
    co_return Error(InfraErrc::unavailable, "sqlite database is shutting down");
  }
  co_return Lease(this, connection);
}

boost::asio::awaitable<Result<SqlResult>> SqlitePool::run(SqliteConnection* connection,
                                                          std::string sql,
                                                          std::vector<SqlParam> params) {
  // The job is a named local on purpose: GCC 12 destroys a lambda written inside a co_await
  // expression twice (a double free once it captures a std::string).
  auto job = [connection, sql = std::move(sql), params = std::move(params)]() noexcept {
    return guarded<Result<SqlResult>>([&] { return connection->execute(sql, params); });
  };
  co_return co_await blocking_call<Result<SqlResult>>(workers_.get_executor(), std::move(job));
}

boost::asio::awaitable<Result<void>> SqlitePool::run_script(SqliteConnection* connection,
                                                            std::string sql) {
  auto job = [connection, sql = std::move(sql)]() noexcept {
    return guarded<Result<void>>([&] { return connection->execute_script(sql); });
  };
  co_return co_await blocking_call<Result<void>>(workers_.get_executor(), std::move(job));
}

boost::asio::awaitable<Result<void>> SqlitePool::rollback_if_open(SqliteConnection* connection) {
  auto job = [connection]() noexcept {
    connection->rollback_if_open();
    return ok_result();
  };
  co_return co_await blocking_call<Result<void>>(workers_.get_executor(), std::move(job));
}

}  // namespace authsvc::storage
