#include "app/backends.hpp"

#include "storage/postgres/postgres_database.hpp"
#include "storage/postgres/postgres_span_target.hpp"
#include "storage/redis/redis_client.hpp"
#include "storage/redis/redis_subscriber.hpp"
#include "storage/sqlite/sqlite_database.hpp"

namespace authsvc::app {

Backends::Backends() = default;
Backends::Backends(Backends&&) noexcept = default;
Backends& Backends::operator=(Backends&&) noexcept = default;
Backends::~Backends() = default;

void Backends::close() {
  database.reset();
  redis.reset();
  redis_subscriber.reset();
  redis_per_thread.clear();
  original_redis.reset();
}

std::vector<http::ReadinessProbe> Backends::readiness_probes() const {
  std::vector<http::ReadinessProbe> probes;
  storage::SqlDatabase* db = database.get();
  probes.push_back({"database", [db]() -> boost::asio::awaitable<bool> {
                      auto result = co_await db->execute("SELECT 1");
                      co_return result.ok();
                    }});
  if (redis) {
    probes.push_back({"redis", [client = redis]() -> boost::asio::awaitable<bool> {
                        std::vector<std::string> ping{"PING"};
                        auto reply = co_await client->command(std::move(ping));
                        co_return reply.ok() && reply->type != storage::RedisReply::Type::error;
                      }});
  }
  return probes;
}

Result<Backends> open_backends(const Config& config, boost::asio::any_io_executor backend,
                               const std::vector<boost::asio::any_io_executor>& io_threads) {
  Backends backends;
  if (config.uses_postgres()) {
    storage::PostgresConfig pg;
    pg.conninfo = config.database_url;
    pg.pool_size = config.db_pool_size;
    pg.connect_timeout = config.db_connect_timeout;
    pg.query_timeout = config.db_query_timeout;
    pg.acquire_timeout = config.db_query_timeout;
    backends.database = std::make_unique<storage::PostgresDatabase>(backend, std::move(pg));
  } else {
    backends.database = std::make_unique<storage::SqliteDatabase>(config.sqlite_path);
  }
  if (config.exports_traces()) {
    auto target = config.uses_postgres()
                      ? storage::postgres_span_target(config.database_url)
                      : storage::SqlSpanTarget{"sqlite", "", 0, config.sqlite_path};
    backends.database = std::make_unique<storage::TracedSqlDatabase>(std::move(backends.database),
                                                                     std::move(target));
  }
  if (config.uses_redis()) {
    auto redis = storage::parse_redis_url(config.redis_url);
    if (!redis) return Error(redis.error().code, "REDIS_URL: " + redis.error().describe());
    redis->connect_timeout = config.redis_timeout;
    redis->command_timeout = config.redis_timeout;
    backends.redis_subscriber = std::make_shared<storage::RedisSubscriber>(backend, *redis);
    for (const auto& executor : io_threads) {
      backends.redis_per_thread.emplace_back(
          executor, std::make_shared<storage::RedisClient>(executor, *redis));
    }
    if (config.reads_original_denylist()) {
      auto original = *redis;
      original.db = config.original_redis_db;
      backends.original_redis = std::make_shared<storage::RedisClient>(backend, original);
    }
    backends.redis = std::make_shared<storage::RedisClient>(backend, std::move(redis).value());
  }
  return backends;
}

}  // namespace authsvc::app
