#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <memory>

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
Result<Backends> open_backends(const Config& config, boost::asio::any_io_executor backend);

}  // namespace authsvc::app
