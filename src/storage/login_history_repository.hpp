#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "storage/sql_database.hpp"

namespace authsvc::storage {

struct LoginHistoryEntry {
  std::optional<std::string> user_agent;
  TimePoint authentication_date{};
};

// Reads a user's login history (rows are written with the session, SessionRepository::open).
class LoginHistoryRepository {
 public:
  explicit LoginHistoryRepository(SqlDatabase& database) : database_(database) {}

  boost::asio::awaitable<Result<std::int64_t>> count(std::string user_id);
  // Newest first.
  boost::asio::awaitable<Result<std::vector<LoginHistoryEntry>>> page(std::string user_id,
                                                                      std::int64_t limit,
                                                                      std::int64_t offset);

 private:
  SqlDatabase& database_;
};

}  // namespace authsvc::storage
