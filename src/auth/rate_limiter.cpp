#include "auth/rate_limiter.hpp"

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

boost::asio::awaitable<RateDecision> RateLimiter::check(std::string caller, std::int64_t limit) {
  RateDecision decision;
  decision.limit = limit;
  auto counted = co_await store_.increment("auth:rl:" + caller, std::chrono::minutes(1));
  if (!counted) {
    decision.degraded = true;
    decision.remaining = limit;
    const auto now = steady_ms();
    auto last = last_warning_ms_.load();
    if (now - last >= 10'000 && last_warning_ms_.compare_exchange_strong(last, now)) {
      log_event(spdlog::level::warn, "rate limiter unavailable; requests pass uncounted",
                {{"error", boost::json::value(counted.error().describe())}});
    }
    co_return decision;
  }
  decision.allowed = counted->count <= limit;
  decision.remaining = std::max<std::int64_t>(0, limit - counted->count);
  decision.reset = whole_seconds_up(counted->remaining);
  co_return decision;
}

}  // namespace authsvc::auth
