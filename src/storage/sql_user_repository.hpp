#pragma once

#include "storage/sql_database.hpp"
#include "storage/sql_rows.hpp"
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
  boost::asio::awaitable<Result<std::optional<UserRecord>>> find_by_id(
      std::string user_id) override;
  boost::asio::awaitable<Result<bool>> clear_password(std::string user_id) override;
  boost::asio::awaitable<Result<bool>> update_password(std::string user_id,
                                                       std::string password_hash) override;
  boost::asio::awaitable<Result<std::vector<std::string>>> sample_werkzeug_hashes(
      std::int64_t limit) override;
  boost::asio::awaitable<Result<void>> invalidate_tokens_before(std::string user_id,
                                                                TimePoint cutoff) override;
  boost::asio::awaitable<Result<std::optional<ProfileRecord>>> find_profile(
      std::string profile_id) override;
  boost::asio::awaitable<Result<std::optional<ProfileRecord>>> find_profile_of_user(
      std::string user_id) override;
  boost::asio::awaitable<Result<void>> update_profile(std::string profile_id,
                                                      ProfileChanges changes) override;
  boost::asio::awaitable<Result<std::vector<std::string>>> role_names(std::string user_id) override;
  boost::asio::awaitable<Result<std::vector<std::string>>> linked_providers(
      std::string user_id) override;

 private:
  SqlDatabase& database_;
};

}  // namespace authsvc::storage
