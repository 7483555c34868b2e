#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "storage/ephemeral_store.hpp"

namespace authsvc::auth {

struct LoginThrottleOptions {
  // Failures of one client (address) against one account within `window`: beyond this that client
  // is refused for the account until the window ends.
  std::int64_t max_failures = 10;
  // Failures against one account from every client together: beyond this only clients without a
  // failure of their own may try (the owner on a device of theirs still gets in).
  std::int64_t account_max_failures = 100;
  std::chrono::seconds window{900};
  // From half of max_failures on, a client's attempts are answered after base, 2x base, 4x base...
  // up to `delay_max`.
  std::chrono::milliseconds delay_base{100};
  std::chrono::milliseconds delay_max{2000};
};

// What to do with an attempt before checking its password.
struct ThrottleDecision {
  std::optional<std::chrono::seconds> refused;  // set: 429 with this Retry-After
  std::chrono::milliseconds delay{0};           // otherwise: answer no sooner than this
};

// Brute-force protection for password checks (login, and the old password of a password change),
// after NIST SP 800-63B 5.2.2: failures count per (account, client) and per account with a much
// higher ceiling, attempts slow down progressively, and a correct password from a client with no
// recent failures is never refused, so a third party cannot lock an owner out. Unknown accounts
// count the same way, so the answers do not tell them apart. Counts live in the shared store; when
// it cannot answer, in this process's `fallback` store instead of not at all. Keys are hashed: the
// store never holds e-mail addresses or client addresses.
class LoginThrottle {
 public:
  LoginThrottle(storage::EphemeralStore& store, storage::EphemeralStore& fallback,
                LoginThrottleOptions options)
      : store_(store), fallback_(fallback), options_(options) {}

  // `account`: what is being guessed (a canonical e-mail, or an account id); `client`: the
  // caller's address.
  boost::asio::awaitable<ThrottleDecision> check(std::string account, std::string client);
  boost::asio::awaitable<void> failed(std::string account, std::string client);
  // Clears the client's count; the account's count runs out with its window (an attacker's
  // failures from elsewhere are not forgiven by the owner's success).
  boost::asio::awaitable<void> succeeded(std::string account, std::string client);

  const LoginThrottleOptions& options() const noexcept { return options_; }

 private:
  static std::string client_key(const std::string& account, const std::string& client);
  static std::string account_key(const std::string& account);
  std::chrono::milliseconds delay_after(std::int64_t client_failures) const;

  storage::EphemeralStore& store_;
  storage::EphemeralStore& fallback_;
  LoginThrottleOptions options_;
};

}  // namespace authsvc::auth
