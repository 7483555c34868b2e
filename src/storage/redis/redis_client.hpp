#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "common/result.hpp"
#include "storage/redis/redis_config.hpp"
#include "storage/redis/redis_reply.hpp"

namespace authsvc::storage {

// An asynchronous Redis client: one hiredis connection, driven on `executor` (give it a dedicated
// single-threaded backend io_context; a strand is used internally either way). Concurrent commands
// are pipelined on that one connection.
//
// - command() may be awaited from coroutines on any executor; the caller resumes on its own.
// - A server error reply (WRONGTYPE, NOSCRIPT, ...) is a RedisReply of Type::error, not an Error.
// - InfraErrc::timeout when no reply arrives within command_timeout (a late reply is dropped). A
//   connection that stays silent for a whole command_timeout is presumed stuck and is reconnected.
// - InfraErrc::unavailable when Redis cannot be reached: immediately while the client is between
//   reconnect attempts, else at the latest after connect_timeout. The client reconnects in the
//   background (50 ms doubling to 1 s) and recovers by itself when Redis comes back.
// - Commands that change the connection's state (SELECT, SUBSCRIBE, MONITOR, QUIT, RESET, HELLO,
//   CLIENT REPLY) are refused with InfraErrc::internal: use RedisConfig::db and RedisSubscriber.
//
// Thread-safe. close() (also run by the destructor) is asynchronous: it is carried out on the
// client's executor, which must keep running (or be destroyed afterwards, which also cleans up).
class RedisClient {
 public:
  RedisClient(boost::asio::any_io_executor executor, RedisConfig config);
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;
  ~RedisClient();

  // One command, e.g. {"SET", key, value, "EX", "60"}; every argument is binary safe.
  // The awaitable does not keep the client alive: once the client is gone, it completes with
  // InfraErrc::unavailable.
  boost::asio::awaitable<Result<RedisReply>> command(std::vector<std::string> args);

  // The same with the arguments listed: `co_await redis.command("GET", key)`. Prefer this form
  // inside coroutines: g++ 12 rejects a braced list in a co_await expression
  // (`co_await redis.command({"GET", key})` -> "array used as initializer"); either build the
  // vector in a statement of its own or use this overload.
  template <class... Args>
  requires(sizeof...(Args) > 0 &&
           (std::is_convertible_v<const Args&, std::string_view> &&
            ...)) boost::asio::awaitable<Result<RedisReply>> command(const Args&... args) {
    std::vector<std::string> argv;
    argv.reserve(sizeof...(Args));
    (argv.emplace_back(std::string_view(args)), ...);
    return command(std::move(argv));
  }

  // True while the connection is established (handshake done). Thread-safe.
  bool connected() const noexcept;

  // Fails pending commands with InfraErrc::unavailable and closes the connection for good.
  void close();

  const RedisConfig& config() const noexcept;

 private:
  class Core;
  std::shared_ptr<Core> core_;
};

}  // namespace authsvc::storage
