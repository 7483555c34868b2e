#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

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

// What a profile change sets: only the engaged fields change (an engaged nullopt clears one).
struct ProfileChanges {
  std::optional<std::optional<std::string>> first_name;
  std::optional<std::optional<std::string>> last_name;
  std::optional<std::optional<std::string>> phone;
};

class UserRepository {
 public:
  virtual ~UserRepository() = default;
  // Creates the user and its profile atomically; DbErrc::unique_violation when the canonical email
  // is taken.
  virtual boost::asio::awaitable<Result<CreatedUser>> create(NewUser user) = 0;
  virtual boost::asio::awaitable<Result<std::optional<UserRecord>>> find_by_email(
      std::string email_canonical) = 0;
  virtual boost::asio::awaitable<Result<std::optional<UserRecord>>> find_by_id(
      std::string user_id) = 0;
  // Replaces the password hash (and sets has_password); false when the user is gone.
  virtual boost::asio::awaitable<Result<bool>> update_password(std::string user_id,
                                                               std::string password_hash) = 0;
  virtual boost::asio::awaitable<Result<std::optional<ProfileRecord>>> find_profile(
      std::string profile_id) = 0;
  virtual boost::asio::awaitable<Result<std::optional<ProfileRecord>>> find_profile_of_user(
      std::string user_id) = 0;
  virtual boost::asio::awaitable<Result<void>> update_profile(std::string profile_id,
                                                              ProfileChanges changes) = 0;
  // Names of the user's roles, sorted by name.
  virtual boost::asio::awaitable<Result<std::vector<std::string>>> role_names(
      std::string user_id) = 0;
  // Providers of the user's linked social accounts, sorted.
  virtual boost::asio::awaitable<Result<std::vector<std::string>>> linked_providers(
      std::string user_id) = 0;
};

}  // namespace authsvc::storage
