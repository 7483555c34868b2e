#include "auth/rate_limiter.hpp"

#include <openssl/evp.h>

#include "common/log.hpp"

namespace authsvc::auth {
namespace {

std::int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::chrono::seconds whole_seconds_up(std::chrono::milliseconds ms) {
  return std::chrono::seconds((std::max<std::int64_t>(ms.count(), 0) + 999) / 1000);
}

}  // namespace

boost::asio::awaitable<RateDecision> RateLimiter::check(std::string caller) {
  RateDecision decision;
  decision.limit = limit_;
  auto counted = co_await store_.increment("auth:rl:" + caller, std::chrono::minutes(1));
  if (!counted) {
    decision.degraded = true;
    decision.remaining = limit_;
    const auto now = steady_ms();
    auto last = last_warning_ms_.load();
    if (now - last >= 10'000 && last_warning_ms_.compare_exchange_strong(last, now)) {
      log_event(spdlog::level::warn, "rate limiter unavailable; requests pass uncounted",
                {{"error", boost::json::value(counted.error().describe())}});
    }
    co_return decision;
  }
  decision.allowed = counted->count <= limit_;
  decision.remaining = std::max<std::int64_t>(0, limit_ - counted->count);
  decision.reset = whole_seconds_up(counted->remaining);
  co_return decision;
}

std::string LoginThrottle::key_of(const std::string& canonical_email) {
  // Hashed: the store never holds the addresses themselves.
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(canonical_email.data(), canonical_email.size(), digest, &size, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string key = "auth:bf:";
  for (unsigned int i = 0; i < size; ++i) {
    key += kHex[digest[i] >> 4];
    key += kHex[digest[i] & 0xf];
  }
  return key;
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
