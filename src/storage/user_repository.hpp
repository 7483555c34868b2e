#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"

namespace authsvc::storage {

// A row of "user" (the original service's table, SPEC 5) with the columns this service added.
struct UserRecord {
  std::string id;
  std::string email;  // as the user typed it
  std::string password_hash;
  bool is_superuser = false;
  bool has_password = true;
  // The original's flag: an inactive account cannot log in or use its tokens. The original never
  // sets it false, and every insert of either service sets it true.
  bool is_active = true;
  std::optional<TimePoint> date_joined;  // NULL only in rows some other writer left without it
  // Tokens without a session issued before this are refused (set by credential events).
  std::optional<TimePoint> tokens_valid_after{};
};

struct ProfileRecord {
  std::string id;
  std::string user_id;
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
  std::optional<std::string> phone;
};

// A provider account (social_account row) linked to a user.
struct SocialLink {
  std::string provider;              // social_name
  std::string provider_user_id;      // social_id
  std::optional<std::string> email;  // as the provider gave it
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
  TimePoint date_joined{};
  std::optional<SocialLink> link;  // a sign-up through a provider: linked in the same transaction
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
  // Creates the user, its profile and its link (when given) atomically; DbErrc::unique_violation
  // when the canonical email is taken or the provider account is linked already.
  virtual boost::asio::awaitable<Result<CreatedUser>> create(NewUser user) = 0;
  virtual boost::asio::awaitable<Result<std::optional<UserRecord>>> find_by_email(
      std::string email_canonical) = 0;
  virtual boost::asio::awaitable<Result<std::optional<UserRecord>>> find_by_id(
      std::string user_id) = 0;
  // Removes the password: an unusable hash, has_password false; false when the user is gone.
  virtual boost::asio::awaitable<Result<bool>> clear_password(std::string user_id) = 0;
  // Replaces the password hash (and sets has_password); false when the user is gone.
  virtual boost::asio::awaitable<Result<bool>> update_password(std::string user_id,
                                                               std::string password_hash) = 0;
  // Refuses the user's session-less tokens issued before `cutoff` (a later cut-off never moves
  // back).
  virtual boost::asio::awaitable<Result<void>> invalidate_tokens_before(std::string user_id,
                                                                        TimePoint cutoff) = 0;
  virtual boost::asio::awaitable<Result<std::optional<ProfileRecord>>> find_profile(
      std::string profile_id) = 0;
  virtual boost::asio::awaitable<Result<std::optional<ProfileRecord>>> find_profile_of_user(
      std::string user_id) = 0;
  virtual boost::asio::awaitable<Result<void>> update_profile(std::string profile_id,
                                                              ProfileChanges changes) = 0;
  // Up to `limit` stored hashes in a Werkzeug format (the original service's), for calibrating
  // what a login for an unknown e-mail costs; empty once every one was re-hashed.
  virtual boost::asio::awaitable<Result<std::vector<std::string>>> sample_werkzeug_hashes(
      std::int64_t limit) = 0;
  // Names of the user's roles, sorted by name.
  virtual boost::asio::awaitable<Result<std::vector<std::string>>> role_names(
      std::string user_id) = 0;
  // Providers of the user's linked social accounts, sorted.
  virtual boost::asio::awaitable<Result<std::vector<std::string>>> linked_providers(
      std::string user_id) = 0;
};

}  // namespace authsvc::storage
