#include "auth/roles.hpp"

#include <algorithm>

#include "storage/sql_database.hpp"

namespace authsvc::auth {

const char* error_category_name(RoleErrc) noexcept {
  return "role";
}

const char* describe(RoleErrc e) noexcept {
  switch (e) {
    case RoleErrc::role_not_found:
      return "role not found";
    case RoleErrc::user_not_found:
      return "user not found";
    case RoleErrc::name_taken:
      return "role name taken";
    case RoleErrc::already_assigned:
      return "role already assigned";
    case RoleErrc::not_assigned:
      return "role not assigned";
  }
  return "unknown role error";
}

bool Roles::is_admin(const UserSnapshot& user) {
  return user.is_superuser ||
         std::find(user.roles.begin(), user.roles.end(), "admin") != user.roles.end();
}

boost::asio::awaitable<Result<std::vector<storage::RoleRecord>>> Roles::list() {
  co_return co_await roles_.list();
}

boost::asio::awaitable<Result<storage::RoleRecord>> Roles::by_name(std::string name) {
  auto role = co_await roles_.find_by_name(std::move(name));
  if (!role) co_return role.take_error();
  if (!*role) co_return RoleErrc::role_not_found;
  co_return std::move(**role);
}

boost::asio::awaitable<Result<storage::RoleRecord>> Roles::create(
    std::string name, std::optional<std::string> description) {
  auto created = co_await roles_.create(std::move(name), std::move(description),
                                        format_timestamp(clock_.now()));
  if (!created && created.error().is(storage::DbErrc::unique_violation))
    co_return RoleErrc::name_taken;
  co_return created;
}

boost::asio::awaitable<Result<storage::RoleRecord>> Roles::update(
    std::string id, std::optional<std::string> name,
    std::optional<std::optional<std::string>> description) {
  auto updated = co_await roles_.update(id, std::move(name), std::move(description));
  if (!updated) {
    if (updated.error().is(storage::DbErrc::unique_violation)) co_return RoleErrc::name_taken;
    co_return updated.take_error();
  }
  if (!*updated) co_return RoleErrc::role_not_found;
  // A renamed role changes every holder's role names.
  auto invalidated = co_await directory_.invalidate_all();
  if (!invalidated) co_return invalidated.take_error();
  auto role = co_await roles_.find_by_id(std::move(id));
  if (!role) co_return role.take_error();
  if (!*role) co_return RoleErrc::role_not_found;
  co_return std::move(**role);
}

boost::asio::awaitable<Result<void>> Roles::remove(std::string id) {
  auto removed = co_await roles_.remove(std::move(id));
  if (!removed) co_return removed.take_error();
  if (!*removed) co_return RoleErrc::role_not_found;
  co_return co_await directory_.invalidate_all();
}

boost::asio::awaitable<Result<void>> Roles::require_user_and_role(const std::string& user_id,
                                                                  const std::string& role_id) {
  auto user = co_await users_.find_by_id(user_id);
  if (!user) co_return user.take_error();
  if (!*user) co_return RoleErrc::user_not_found;
  auto role = co_await roles_.find_by_id(role_id);
  if (!role) co_return role.take_error();
  if (!*role) co_return RoleErrc::role_not_found;
  co_return ok_result();
}

boost::asio::awaitable<Result<std::string>> Roles::assign(std::string user_id,
                                                          std::string role_id) {
  if (auto found = co_await require_user_and_role(user_id, role_id); !found)
    co_return found.take_error();
  auto assigned = co_await roles_.assign(user_id, role_id, format_timestamp(clock_.now()));
  if (!assigned) {
    if (assigned.error().is(storage::DbErrc::unique_violation))
      co_return RoleErrc::already_assigned;
    // The user or role was deleted between the check and the insert.
    if (assigned.error().is(storage::DbErrc::foreign_key_violation))
      co_return RoleErrc::role_not_found;
    co_return assigned.take_error();
  }
  auto invalidated = co_await directory_.invalidate(std::move(user_id));
  if (!invalidated) co_return invalidated.take_error();
  co_return assigned;
}

boost::asio::awaitable<Result<void>> Roles::unassign(std::string user_id, std::string role_id) {
  if (auto found = co_await require_user_and_role(user_id, role_id); !found)
    co_return found.take_error();
  auto removed = co_await roles_.unassign(user_id, std::move(role_id));
  if (!removed) co_return removed.take_error();
  if (!*removed) co_return RoleErrc::not_assigned;
  co_return co_await directory_.invalidate(std::move(user_id));
}

boost::asio::awaitable<Result<bool>> Roles::holds(std::string user_id, std::string role_id) {
  if (auto found = co_await require_user_and_role(user_id, role_id); !found)
    co_return found.take_error();
  co_return co_await roles_.holds(std::move(user_id), std::move(role_id));
}

}  // namespace authsvc::auth
