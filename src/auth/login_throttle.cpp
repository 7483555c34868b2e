#include "auth/login_throttle.hpp"

#include "common/log.hpp"
#include "crypto/sha256.hpp"

namespace authsvc::auth {

std::string LoginThrottle::key_of(const std::string& canonical_email) {
  // Hashed: the store never holds the addresses themselves.
  return "auth:bf:" + crypto::sha256_hex(canonical_email);
}

boost::asio::awaitable<std::optional<std::chrono::seconds>> LoginThrottle::locked(
    std::string canonical_email) {
  std::vector<std::string> keys{key_of(canonical_email)};
  auto values = co_await store_.get_many(std::move(keys));
  if (!values || !values->front()) co_return std::nullopt;
  std::int64_t failures = 0;
  try {
    failures = std::stoll(*values->front());
  } catch (const std::exception&) {
    co_return std::nullopt;
  }
  if (failures < max_failures_) co_return std::nullopt;
  co_return window_;  // an upper bound: the window started at the first failure
}

boost::asio::awaitable<void> LoginThrottle::failed(std::string canonical_email) {
  auto counted = co_await store_.increment(
      key_of(canonical_email), std::chrono::duration_cast<std::chrono::milliseconds>(window_));
  if (!counted) {
    log_event(spdlog::level::warn, "login failure not counted",
              {{"error", boost::json::value(counted.error().describe())}});
  }
}

boost::asio::awaitable<void> LoginThrottle::succeeded(std::string canonical_email) {
  auto removed = co_await store_.remove(key_of(canonical_email));
  if (!removed) {
    log_event(spdlog::level::warn, "login failures not reset",
              {{"error", boost::json::value(removed.error().describe())}});
  }
}

}  // namespace authsvc::auth
