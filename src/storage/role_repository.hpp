#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "storage/sql_database.hpp"

namespace authsvc::storage {

struct RoleRecord {
  std::string id;
  std::string name;
  std::optional<std::string> description;
};

// Roles and their assignments (tables role, usersroles) over either SQL backend. Name clashes and
// repeated assignments surface as DbErrc::unique_violation.
class RoleRepository {
 public:
  explicit RoleRepository(SqlDatabase& database) : database_(database) {}

  // In creation order.
  boost::asio::awaitable<Result<std::vector<RoleRecord>>> list();
  boost::asio::awaitable<Result<std::optional<RoleRecord>>> find_by_name(std::string name);
  boost::asio::awaitable<Result<std::optional<RoleRecord>>> find_by_id(std::string id);
  boost::asio::awaitable<Result<RoleRecord>> create(std::string name,
                                                    std::optional<std::string> description,
                                                    std::string created_at);
  // Engaged fields change; false when the role does not exist.
  boost::asio::awaitable<Result<bool>> update(
      std::string id, std::optional<std::string> name,
      std::optional<std::optional<std::string>> description);
  // The role and its assignments; false when it did not exist.
  boost::asio::awaitable<Result<bool>> remove(std::string id);

  // The new assignment's id.
  boost::asio::awaitable<Result<std::string>> assign(std::string user_id, std::string role_id,
                                                     std::string created_at);
  boost::asio::awaitable<Result<bool>> unassign(std::string user_id, std::string role_id);
  boost::asio::awaitable<Result<bool>> holds(std::string user_id, std::string role_id);

 private:
  SqlDatabase& database_;
};

}  // namespace authsvc::storage
