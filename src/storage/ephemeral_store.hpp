#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace authsvc::storage {

// Short-lived shared state with expiry: the revocation denylist, refresh-rotation results and
// invalidation messages. Redis in production (shared by every instance), in-process in embedded
// mode. Failures are InfraErrc (callers fail closed).
// A counter in a fixed window that starts with its first increment.
struct WindowCount {
  std::int64_t count = 0;
  std::chrono::milliseconds remaining{0};  // until the window (and the counter) ends
};

class EphemeralStore {
 public:
  using MessageHandler = std::function<void(std::string_view message)>;

  virtual ~EphemeralStore() = default;

  // One round trip for all keys (Redis MGET); nullopt for a missing key.
  virtual boost::asio::awaitable<Result<std::vector<std::optional<std::string>>>> get_many(
      std::vector<std::string> keys) = 0;
  virtual boost::asio::awaitable<Result<void>> put(std::string key, std::string value,
                                                   std::chrono::milliseconds ttl) = 0;
  // Sets only when absent; true when this call set it.
  virtual boost::asio::awaitable<Result<bool>> put_if_absent(std::string key, std::string value,
                                                             std::chrono::milliseconds ttl) = 0;

  // Atomically adds one to the counter at `key`, starting a window of `window` when it is new
  // (Redis: one script, so every instance shares one exact count).
  virtual boost::asio::awaitable<Result<WindowCount>> increment(
      std::string key, std::chrono::milliseconds window) = 0;
  virtual boost::asio::awaitable<Result<void>> remove(std::string key) = 0;
  // Reads and deletes in one step (Redis GETDEL): of several callers, exactly one gets the value.
  virtual boost::asio::awaitable<Result<std::optional<std::string>>> take(std::string key) = 0;

  // Fan-out to every instance's subscribers of `channel` (this one's included).
  virtual boost::asio::awaitable<Result<void>> publish(std::string channel,
                                                       std::string message) = 0;
  // `on_gap` runs when messages may have been missed (the subscription was lost and is back).
  virtual void subscribe(std::string channel, MessageHandler on_message,
                         std::function<void()> on_gap) = 0;
};

}  // namespace authsvc::storage
