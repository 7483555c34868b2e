#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "storage/sql_database.hpp"
#include "storage/user_repository.hpp"

namespace authsvc::storage {

struct SocialAccountRecord {
  std::string user_id;
  SocialLink link;
  TimePoint linked_at{};
};

// Provider accounts linked to users: the original's social_account table (LIST-partitioned by
// social_name in PostgreSQL, unique on (social_id, social_name)).
class SocialAccountRepository {
 public:
  explicit SocialAccountRepository(SqlDatabase& database) : database_(database) {}

  boost::asio::awaitable<Result<std::optional<SocialAccountRecord>>> find(
      std::string provider, std::string provider_user_id);
  // The user's links, by provider.
  boost::asio::awaitable<Result<std::vector<SocialAccountRecord>>> of_user(std::string user_id);
  // DbErrc::unique_violation when that provider account is linked already.
  boost::asio::awaitable<Result<void>> link(std::string user_id, SocialLink link, TimePoint now);
  // Removes the user's links to `provider`; how many there were.
  boost::asio::awaitable<Result<std::int64_t>> unlink(std::string user_id, std::string provider);

 private:
  SqlDatabase& database_;
};

}  // namespace authsvc::storage
