#pragma once

#include <memory>
#include <utility>
#include <vector>

#include "storage/ephemeral_store.hpp"
#include "storage/redis/redis_client.hpp"
#include "storage/redis/redis_subscriber.hpp"

namespace authsvc::storage {

// EphemeralStore on Redis, shared by every instance: MGET, SET PX [NX], PUBLISH and a
// RedisSubscriber whose reconnects are reported as gaps.
class RedisEphemeralStore final : public EphemeralStore {
 public:
  using LocalClients =
      std::vector<std::pair<boost::asio::any_io_executor, std::shared_ptr<RedisClient>>>;

  // `local`: clients bound to particular executors; a caller running on one of them uses that
  // client (no thread hop), any other caller the shared `client`.
  RedisEphemeralStore(std::shared_ptr<RedisClient> client,
                      std::shared_ptr<RedisSubscriber> subscriber, LocalClients local = {},
                      std::string key_prefix = {});

  boost::asio::awaitable<Result<std::vector<std::optional<std::string>>>> get_many(
      std::vector<std::string> keys) override;
  boost::asio::awaitable<Result<void>> put(std::string key, std::string value,
                                           std::chrono::milliseconds ttl) override;
  boost::asio::awaitable<Result<bool>> put_if_absent(std::string key, std::string value,
                                                     std::chrono::milliseconds ttl) override;
  boost::asio::awaitable<Result<WindowCount>> increment(std::string key,
                                                        std::chrono::milliseconds window) override;
  boost::asio::awaitable<Result<void>> remove(std::string key) override;
  boost::asio::awaitable<Result<std::optional<std::string>>> take(std::string key) override;
  boost::asio::awaitable<Result<void>> publish(std::string channel, std::string message) override;
  void subscribe(std::string channel, MessageHandler on_message,
                 std::function<void()> on_gap) override;

 private:
  boost::asio::awaitable<RedisClient*> client_for_caller();

  std::shared_ptr<RedisClient> client_;
  LocalClients local_;
  std::string prefix_;
  std::shared_ptr<RedisSubscriber> subscriber_;
};

}  // namespace authsvc::storage
