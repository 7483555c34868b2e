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

// One row of login_histories as written (the original's columns plus where from and which session).
struct LoginHistoryRow {
  std::string user_id;
  std::string user_agent;  // NOT NULL in the original's schema: '' when the client sent none
  TimePoint authentication_date{};
  std::optional<std::string> ip;
  std::optional<std::string> session_id;
};

// The login_histories table.
class LoginHistoryRepository {
 public:
  explicit LoginHistoryRepository(SqlDatabase& database) : database_(database) {}

  boost::asio::awaitable<Result<void>> append(LoginHistoryRow row);
  boost::asio::awaitable<Result<std::int64_t>> count(std::string user_id);
  // Newest first.
  boost::asio::awaitable<Result<std::vector<LoginHistoryEntry>>> page(std::string user_id,
                                                                      std::int64_t limit,
                                                                      std::int64_t offset);

 private:
  SqlDatabase& database_;
};

}  // namespace authsvc::storage
