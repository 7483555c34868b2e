#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <memory>
#include <utility>
#include <vector>

#include "common/config.hpp"
#include "common/result.hpp"
#include "http/handlers/health.hpp"
#include "storage/sql_database.hpp"

namespace authsvc::storage {
class RedisClient;
class RedisSubscriber;
}  // namespace authsvc::storage

namespace authsvc::app {

// The stateful dependencies chosen by configuration: PostgreSQL or the embedded SQLite file, and
// Redis when configured (else in-process state).
struct Backends {
  std::unique_ptr<storage::SqlDatabase> database;
  std::shared_ptr<storage::RedisClient> redis;                 // null in embedded mode
  std::shared_ptr<storage::RedisSubscriber> redis_subscriber;  // with redis
  // One more client per I/O thread, driven by that thread's io_context: a hot-path command then
  // runs without waking another thread (two wake-ups per request on the shared client).
  std::vector<std::pair<boost::asio::any_io_executor, std::shared_ptr<storage::RedisClient>>>
      redis_per_thread;
  // The original service's Redis database (Config::reads_original_denylist), else null.
  std::shared_ptr<storage::RedisClient> original_redis;

  Backends();
  Backends(Backends&&) noexcept;
  Backends& operator=(Backends&&) noexcept;
  ~Backends();

  std::vector<http::ReadinessProbe> readiness_probes() const;
  // Releases the clients; call while the backend thread still runs (their shutdown is posted
  // there).
  void close();
};

// `backend` runs the PostgreSQL and Redis clients; SQLite brings its own worker threads.
// `io_threads`: executors of the HTTP threads, each of which gets its own Redis client.
Result<Backends> open_backends(const Config& config, boost::asio::any_io_executor backend,
                               const std::vector<boost::asio::any_io_executor>& io_threads = {});

}  // namespace authsvc::app
