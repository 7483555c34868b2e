#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "storage/ephemeral_store.hpp"

namespace authsvc::auth {

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
