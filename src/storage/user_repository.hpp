#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>

#include "common/result.hpp"

namespace authsvc::storage {

struct UserRecord {
  std::string id;
  std::string email;  // as the user typed it
  std::string password_hash;
  bool is_superuser = false;
  bool has_password = true;
};

struct ProfileRecord {
  std::string id;
  std::string user_id;
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
  std::optional<std::string> phone;
};

struct NewUser {
  std::string email;
  std::string email_canonical;
  std::string password_hash;
  bool is_superuser = false;
  bool has_password = true;
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
  std::optional<std::string> phone;
  std::string created_at;  // format_timestamp()
};

struct CreatedUser {
  UserRecord user;
  ProfileRecord profile;
};

class UserRepository {
 public:
  virtual ~UserRepository() = default;
  // Creates the user and its profile atomically; DbErrc::unique_violation when the canonical email
  // is taken.
  virtual boost::asio::awaitable<Result<CreatedUser>> create(NewUser user) = 0;
  virtual boost::asio::awaitable<Result<std::optional<UserRecord>>> find_by_email(
      std::string email_canonical) = 0;
};

}  // namespace authsvc::storage
