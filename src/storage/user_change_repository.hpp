#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "storage/sql_database.hpp"

namespace authsvc::storage {

// The auth_user_change table: a durable feed of account changes that user caches must drop, read
// by every instance (UserDirectory::catch_up) so that no lost pub/sub message leaves a stale role.
class UserChangeRepository {
 public:
  static constexpr std::string_view kEveryone = "*";

  explicit UserChangeRepository(SqlDatabase& database) : database_(database) {}

  // `user_id`, or kEveryone.
  boost::asio::awaitable<Result<void>> record(std::string user_id, TimePoint now);
  // The users changed at or after `since` (kEveryone among them for a change of every user).
  boost::asio::awaitable<Result<std::vector<std::string>>> changed_since(TimePoint since);
  // Deletes changes older than `before`; returns how many.
  boost::asio::awaitable<Result<std::int64_t>> purge(TimePoint before);

 private:
  SqlDatabase& database_;
};

}  // namespace authsvc::storage
