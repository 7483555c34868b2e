#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>

#include "auth/accounts.hpp"
#include "auth/caller.hpp"
#include "auth/client_info.hpp"
#include "auth/login_history.hpp"
#include "auth/login_throttle.hpp"
#include "auth/sessions.hpp"
#include "auth/user_directory.hpp"
#include "common/result.hpp"

namespace authsvc::auth {

struct PasswordLogin {
  std::string email;  // as typed
  std::string password;
  ClientInfo client;
};

// Signing in with a password and changing it: the use cases behind POST /api/v1/auth/login and
// PATCH /api/v1/auth/password-change, one call each.
class Logins {
 public:
  Logins(Accounts& accounts, LoginThrottle& throttle, UserDirectory& directory, Sessions& sessions,
         LoginHistory& history)
      : accounts_(accounts),
        throttle_(throttle),
        directory_(directory),
        sessions_(sessions),
        history_(history) {}

  // The brute-force throttle (per account and client), the password check, the user's current
  // roles, a new session and its login-history row. AccountErrc::locked_out (Error::retry_after
  // set) or AccountErrc::wrong_credentials (unknown e-mail, wrong password, inactive account
  // alike).
  boost::asio::awaitable<Result<OpenedSession>> with_password(PasswordLogin login);

  // The caller's own password (`user_id` must be theirs: AccountErrc::not_owner); every other
  // session of the caller ends. The old-password check is throttled like a login.
  // AccountErrc::wrong_credentials, locked_out, password_too_short, _too_long.
  boost::asio::awaitable<Result<void>> change_password(const Caller& caller, std::string user_id,
                                                       std::string old_password,
                                                       std::string new_password, ClientInfo client);

 private:
  Accounts& accounts_;
  LoginThrottle& throttle_;
  UserDirectory& directory_;
  Sessions& sessions_;
  LoginHistory& history_;
};

}  // namespace authsvc::auth
