#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "storage/redis/redis_config.hpp"

namespace authsvc::storage {

// Pub/sub on its own hiredis connection (a subscribed connection can carry nothing else), same
// executor model as RedisClient. Subscriptions are kept and re-established after every reconnect;
// messages published while the connection was down are lost, which on_resubscribed() reports so
// that caches fed by the channel can be dropped. Publish with RedisClient ({"PUBLISH", ch, msg}).
//
// Thread-safe; handlers and hooks run on the subscriber's executor and must not block. close()
// (also run by the destructor) is carried out on that executor, like RedisClient::close().
class RedisSubscriber {
 public:
  using MessageHandler = std::function<void(std::string_view message)>;

  RedisSubscriber(boost::asio::any_io_executor executor, RedisConfig config);
  RedisSubscriber(const RedisSubscriber&) = delete;
  RedisSubscriber& operator=(const RedisSubscriber&) = delete;
  ~RedisSubscriber();

  // Calls on_message for every message published on `channel` (exact name, binary safe) from the
  // moment Redis confirms the subscription (now if connected, else once connected). Several
  // handlers may share a channel.
  void subscribe(std::string channel, MessageHandler on_message);
  // Drops every handler of `channel`.
  void unsubscribe(std::string channel);
  // Called each time the subscriptions are confirmed again after the connection was lost.
  void on_resubscribed(std::function<void()> hook);

  // True while the connection is established (handshake done). Thread-safe.
  bool connected() const noexcept;
  void close();

 private:
  class Core;
  std::shared_ptr<Core> core_;
};

}  // namespace authsvc::storage
