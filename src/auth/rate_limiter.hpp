#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
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
  // `caller`: "sub:<user id>" or "ip:<address>".
  boost::asio::awaitable<RateDecision> check(std::string caller);

 private:
  storage::EphemeralStore& store_;
  std::int64_t limit_;
  std::atomic<std::int64_t> last_warning_ms_{0};
};

// Brute-force protection for password logins: after `max_failures` failed logins for one e-mail
// within `window`, every further login for it is refused for the rest of the window, whether the
// password is right or not; a success clears the count. Unknown e-mails count the same way, so
// the answers do not tell them apart. Fails open when the store cannot answer.
class LoginThrottle {
 public:
  LoginThrottle(storage::EphemeralStore& store, std::int64_t max_failures,
                std::chrono::seconds window)
      : store_(store), max_failures_(max_failures), window_(window) {}

  // The Retry-After when this e-mail is locked out now.
  boost::asio::awaitable<std::optional<std::chrono::seconds>> locked(std::string canonical_email);
  boost::asio::awaitable<void> failed(std::string canonical_email);
  boost::asio::awaitable<void> succeeded(std::string canonical_email);

 private:
  static std::string key_of(const std::string& canonical_email);

  storage::EphemeralStore& store_;
  std::int64_t max_failures_;
  std::chrono::seconds window_;
};

}  // namespace authsvc::auth
