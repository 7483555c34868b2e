#pragma once

#include <map>
#include <mutex>
#include <unordered_map>

#include "common/clock.hpp"
#include "storage/ephemeral_store.hpp"

namespace authsvc::storage {

// The embedded mode's EphemeralStore: one process, so a map under a mutex. Expired entries are
// dropped on access and swept every few thousand writes. Expiry follows `clock` (tests move it).
// At most `capacity` live entries: past that a write of a new key first sweeps, and if the store is
// still full it fails with InfraErrc::overloaded (a 503) rather than letting a flood of callers
// (OAuth states, rate-limit windows) grow the process without bound. Thread-safe.
class MemoryEphemeralStore final : public EphemeralStore {
 public:
  static constexpr std::size_t kDefaultCapacity = 1'000'000;

  explicit MemoryEphemeralStore(const Clock& clock = system_clock(),
                                std::size_t capacity = kDefaultCapacity)
      : clock_(clock), capacity_(capacity) {}

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

  std::size_t size() const;

 private:
  using Deadline = TimePoint;
  static const Clock& system_clock();
  struct Entry {
    std::string value;
    Deadline expires;
  };
  // False when the key is new and the store is full even after a sweep.
  [[nodiscard]] bool store_locked(std::string key, std::string value, std::chrono::milliseconds ttl,
                                  Deadline now);
  void sweep_locked(Deadline now);

  const Clock& clock_;
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;  // guarded by mutex_
  std::size_t writes_since_sweep_ = 0;              // guarded by mutex_
  std::mutex subscribers_mutex_;
  std::multimap<std::string, MessageHandler, std::less<>> subscribers_;  // guarded
};

}  // namespace authsvc::storage
