#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "auth/account_errors.hpp"
#include "common/bounded_work_pool.hpp"
#include "common/clock.hpp"
#include "crypto/password_hasher.hpp"
#include "storage/user_repository.hpp"

namespace authsvc::auth {

struct PasswordPolicy {
  std::size_t min_length = 8;
  std::size_t max_bytes = 1024;  // a hard cap against hashing DoS (SPEC 4)
};

struct SignupRequest {
  std::string email;
  std::string password;
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
  std::optional<std::string> phone;
};

// GET /api/v1/auth/me.
struct AccountView {
  storage::UserRecord user;
  storage::ProfileRecord profile;
  std::vector<std::string> roles;
  std::vector<std::string> providers;
};

// Account lifecycle: sign-up, password login, password and profile changes. Passwords are hashed
// and verified on the bounded CPU pool, never on an I/O thread.
class Accounts {
 public:
  Accounts(storage::UserRepository& users, const crypto::PasswordHasher& hasher,
           BoundedWorkPool& cpu, const Clock& clock, PasswordPolicy policy)
      : users_(users), hasher_(hasher), cpu_(cpu), clock_(clock), policy_(policy) {}

  Result<void> check_password(std::string_view password) const;
  // Switch-over timing (issue 13 item 12): while the original's Werkzeug hashes are still stored,
  // a login for an unknown e-mail verifies against a decoy as slow as the slowest of them, so the
  // answer's timing does not tell which e-mails have accounts. At start-up, before serving.
  boost::asio::awaitable<Result<void>> calibrate_unknown_email_cost();
  boost::asio::awaitable<Result<storage::CreatedUser>> create_superuser(std::string email,
                                                                        std::string password);
  // AccountErrc::email_taken when the canonical e-mail is registered (also when a concurrent
  // sign-up of the same address wins).
  boost::asio::awaitable<Result<storage::CreatedUser>> signup(SignupRequest request);
  // A sign-up through a social provider: no usable password (has_password false), a profile with
  // the provider's names, and the link, in one transaction. `email`: one the provider asserted
  // verified, else nullopt (the account then gets a random address of the reserved .invalid
  // domain, which sign-up refuses, so an unverified address can never block its owner's own
  // sign-up). AccountErrc::email_taken, or DbErrc::unique_violation when the provider account was
  // linked meanwhile.
  boost::asio::awaitable<Result<storage::CreatedUser>> create_linked(
      std::optional<std::string> email, std::optional<std::string> first_name,
      std::optional<std::string> last_name, storage::SocialLink link);
  // The user behind e-mail and password; AccountErrc::wrong_credentials otherwise (also for an
  // inactive account), after the same work as a real check (unknown e-mails are not revealed by
  // timing). A match on an outdated hash
  // stores a new one.
  boost::asio::awaitable<Result<storage::UserRecord>> login(std::string email,
                                                            std::string password);
  // AccountErrc::wrong_credentials when the user is gone or old_password does not match.
  boost::asio::awaitable<Result<void>> change_password(std::string user_id,
                                                       std::string old_password,
                                                       std::string new_password);
  // AccountErrc::profile_not_found, AccountErrc::not_owner.
  boost::asio::awaitable<Result<void>> change_profile(std::string caller_id, std::string profile_id,
                                                      storage::ProfileChanges changes);
  // AccountErrc::user_not_found.
  boost::asio::awaitable<Result<AccountView>> view(std::string user_id);

 private:
  boost::asio::awaitable<Result<storage::CreatedUser>> create(storage::NewUser user,
                                                              std::string password);

  storage::UserRepository& users_;
  const crypto::PasswordHasher& hasher_;
  BoundedWorkPool& cpu_;
  const Clock& clock_;
  PasswordPolicy policy_;
};

}  // namespace authsvc::auth
