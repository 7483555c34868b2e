#pragma once

#include "storage/sql_database.hpp"
#include "storage/user_repository.hpp"

namespace authsvc::storage {

// UserRepository over either SQL backend: the statements are portable between PostgreSQL and
// SQLite.
class SqlUserRepository final : public UserRepository {
 public:
  explicit SqlUserRepository(SqlDatabase& database) : database_(database) {}

  boost::asio::awaitable<Result<CreatedUser>> create(NewUser user) override;
  boost::asio::awaitable<Result<std::optional<UserRecord>>> find_by_email(
      std::string email_canonical) override;

 private:
  SqlDatabase& database_;
};

}  // namespace authsvc::storage
