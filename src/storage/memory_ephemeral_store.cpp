#include "storage/memory_ephemeral_store.hpp"

#include <vector>

namespace authsvc::storage {
namespace {

constexpr std::size_t kSweepEvery = 4096;

Error full_error() {
  return Error(InfraErrc::overloaded, "the in-memory ephemeral store is full");
}

}  // namespace

const Clock& MemoryEphemeralStore::system_clock() {
  static const SystemClock clock;
  return clock;
}

boost::asio::awaitable<Result<std::vector<std::optional<std::string>>>>
MemoryEphemeralStore::get_many(std::vector<std::string> keys) {
  std::vector<std::optional<std::string>> values(keys.size());
  const auto now = clock_.now();
  {
    const std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < keys.size(); ++i) {
      const auto it = entries_.find(keys[i]);
      if (it != entries_.end() && it->second.expires > now) values[i] = it->second.value;
    }
  }
  co_return values;
}

void MemoryEphemeralStore::sweep_locked(Deadline now) {
  writes_since_sweep_ = 0;
  std::erase_if(entries_, [now](const auto& item) { return item.second.expires <= now; });
}

bool MemoryEphemeralStore::store_locked(std::string key, std::string value,
                                        std::chrono::milliseconds ttl, Deadline now) {
  if (entries_.size() >= capacity_ && !entries_.contains(key)) {
    sweep_locked(now);
    if (entries_.size() >= capacity_) return false;
  }
  entries_[std::move(key)] = Entry{std::move(value), now + ttl};
  if (++writes_since_sweep_ >= kSweepEvery) sweep_locked(now);
  return true;
}

boost::asio::awaitable<Result<void>> MemoryEphemeralStore::put(std::string key, std::string value,
                                                               std::chrono::milliseconds ttl) {
  const auto now = clock_.now();
  bool stored = false;
  {
    const std::lock_guard lock(mutex_);
    stored = store_locked(std::move(key), std::move(value), ttl, now);
  }
  if (!stored) co_return full_error();
  co_return ok_result();
}

boost::asio::awaitable<Result<bool>> MemoryEphemeralStore::put_if_absent(
    std::string key, std::string value, std::chrono::milliseconds ttl) {
  const auto now = clock_.now();
  bool stored = false;
  bool full = false;
  {
    const std::lock_guard lock(mutex_);
    const auto it = entries_.find(key);
    if (it == entries_.end() || it->second.expires <= now) {
      stored = store_locked(std::move(key), std::move(value), ttl, now);
      full = !stored;
    }
  }
  if (full) co_return full_error();
  co_return stored;
}

boost::asio::awaitable<Result<WindowCount>> MemoryEphemeralStore::increment(
    std::string key, std::chrono::milliseconds window) {
  const auto now = clock_.now();
  WindowCount counted;
  bool full = false;
  {
    const std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end() || it->second.expires <= now) {
      full = !store_locked(std::move(key), "1", window, now);
      counted = WindowCount{1, window};
    } else {
      const std::int64_t count = std::stoll(it->second.value) + 1;
      it->second.value = std::to_string(count);
      counted = WindowCount{
          count, std::chrono::duration_cast<std::chrono::milliseconds>(it->second.expires - now)};
    }
  }
  if (full) co_return full_error();
  co_return counted;
}

boost::asio::awaitable<Result<void>> MemoryEphemeralStore::remove(std::string key) {
  {
    const std::lock_guard lock(mutex_);
    entries_.erase(key);
  }
  co_return ok_result();
}

boost::asio::awaitable<Result<std::optional<std::string>>> MemoryEphemeralStore::take(
    std::string key) {
  const auto now = clock_.now();
  std::optional<std::string> value;
  {
    const std::lock_guard lock(mutex_);
    const auto it = entries_.find(key);
    if (it != entries_.end()) {
      if (it->second.expires > now) value = std::move(it->second.value);
      entries_.erase(it);
    }
  }
  co_return value;
}

boost::asio::awaitable<Result<void>> MemoryEphemeralStore::publish(std::string channel,
                                                                   std::string message) {
  std::vector<MessageHandler> handlers;
  {
    const std::lock_guard lock(subscribers_mutex_);
    const auto [first, last] = subscribers_.equal_range(channel);
    for (auto it = first; it != last; ++it) handlers.push_back(it->second);
  }
  for (const auto& handler : handlers) handler(message);
  co_return ok_result();
}

void MemoryEphemeralStore::subscribe(std::string channel, MessageHandler on_message,
                                     std::function<void()> /*on_gap: nothing is ever missed*/) {
  const std::lock_guard lock(subscribers_mutex_);
  subscribers_.emplace(std::move(channel), std::move(on_message));
}

std::size_t MemoryEphemeralStore::size() const {
  const std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace authsvc::storage
