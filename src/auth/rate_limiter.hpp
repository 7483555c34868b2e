#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <string>

#include "storage/ephemeral_store.hpp"

namespace authsvc::auth {

struct RateDecision {
  bool allowed = true;
  std::int64_t limit = 0;
  std::int64_t remaining = 0;
  std::chrono::seconds reset{0};  // until the window ends
  bool degraded = false;          // the store could not be asked: allowed without counting
};

// SPEC R4: at most `limit` requests per caller per minute, counted in the EphemeralStore (one
// atomic script in Redis, so every instance shares the count). When the store cannot answer the
// limiter fails open (and logs it, at most every 10 s): rate limiting protects capacity, it is not
// a security boundary the way revocation is.
class RateLimiter {
 public:
  RateLimiter(storage::EphemeralStore& store, std::int64_t limit_per_minute)
      : store_(store), limit_(limit_per_minute) {}

  std::int64_t limit() const noexcept { return limit_; }
  // `caller`: "sub:<user id>", "client:<service client id>" or "ip:<address>".
  boost::asio::awaitable<RateDecision> check(std::string caller) {
    return check(std::move(caller), limit_);
  }
  // With a limit of its own (a route class with another budget, e.g. introspection).
  boost::asio::awaitable<RateDecision> check(std::string caller, std::int64_t limit);

 private:
  storage::EphemeralStore& store_;
  std::int64_t limit_;
  std::atomic<std::int64_t> last_warning_ms_{0};
};

}  // namespace authsvc::auth
