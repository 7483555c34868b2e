#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>

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

// Account lifecycle: creation with validated e-mail and password, hashed on the CPU pool.
class Accounts {
 public:
  Accounts(storage::UserRepository& users, const crypto::PasswordHasher& hasher,
           BoundedWorkPool& cpu, const Clock& clock, PasswordPolicy policy)
      : users_(users), hasher_(hasher), cpu_(cpu), clock_(clock), policy_(policy) {}

  Result<void> check_password(std::string_view password) const;
  boost::asio::awaitable<Result<storage::CreatedUser>> create_superuser(std::string email,
                                                                        std::string password);

 private:
  storage::UserRepository& users_;
  const crypto::PasswordHasher& hasher_;
  BoundedWorkPool& cpu_;
  const Clock& clock_;
  PasswordPolicy policy_;
};

}  // namespace authsvc::auth
