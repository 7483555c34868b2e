#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "auth/user_directory.hpp"
#include "common/clock.hpp"
#include "common/error_category.hpp"
#include "common/result.hpp"
#include "storage/role_repository.hpp"
#include "storage/user_repository.hpp"

namespace authsvc::auth {

enum class RoleErrc {
  role_not_found = 1,
  user_not_found,
  name_taken,
  already_assigned,
  not_assigned,
};
const char* error_category_name(RoleErrc) noexcept;
const char* describe(RoleErrc e) noexcept;
inline std::error_code make_error_code(RoleErrc e) noexcept {
  return make_enum_error_code(e);
}

// Roles and who holds them. Every change invalidates the users it touches in the UserDirectory on
// every instance, so verify-jwt and the next issued token see it at once.
class Roles {
 public:
  Roles(storage::RoleRepository& roles, storage::UserRepository& users, UserDirectory& directory,
        const Clock& clock)
      : roles_(roles), users_(users), directory_(directory), clock_(clock) {}

  // SPEC 2's admin rule: a superuser or a holder of the role named "admin".
  static bool is_admin(const UserSnapshot& user);

  boost::asio::awaitable<Result<std::vector<storage::RoleRecord>>> list();
  boost::asio::awaitable<Result<storage::RoleRecord>> by_name(std::string name);
  boost::asio::awaitable<Result<storage::RoleRecord>> create(
      std::string name, std::optional<std::string> description);
  boost::asio::awaitable<Result<storage::RoleRecord>> update(
      std::string id, std::optional<std::string> name,
      std::optional<std::optional<std::string>> description);
  boost::asio::awaitable<Result<void>> remove(std::string id);

  boost::asio::awaitable<Result<std::string>> assign(std::string user_id, std::string role_id);
  boost::asio::awaitable<Result<void>> unassign(std::string user_id, std::string role_id);
  boost::asio::awaitable<Result<bool>> holds(std::string user_id, std::string role_id);

 private:
  // RoleErrc::user_not_found / role_not_found when either is missing.
  boost::asio::awaitable<Result<void>> require_user_and_role(const std::string& user_id,
                                                             const std::string& role_id);

  storage::RoleRepository& roles_;
  storage::UserRepository& users_;
  UserDirectory& directory_;
  const Clock& clock_;
};

}  // namespace authsvc::auth

template <>
struct std::is_error_code_enum<authsvc::auth::RoleErrc> : std::true_type {};
