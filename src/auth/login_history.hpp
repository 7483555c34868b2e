#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/client_info.hpp"
#include "common/clock.hpp"
#include "common/result.hpp"
#include "storage/login_history_repository.hpp"

namespace authsvc::auth {

struct HistoryPage {
  std::vector<storage::LoginHistoryEntry> items;
  std::int64_t total_items = 0;
  std::int64_t total_pages = 0;
  std::optional<std::int64_t> prev;
  std::optional<std::int64_t> next;
};

// A user's login history: one row per login (password or OAuth), read back paginated as
// Flask-SQLAlchemy's paginate() did for the original service: page < 1, per_page < 1, or a page
// past the end (other than page 1) is AccountErrc::page_not_found; per_page is capped at
// kMaxPerPage.
class LoginHistory {
 public:
  static constexpr std::int64_t kMaxPerPage = 100;

  LoginHistory(storage::LoginHistoryRepository& repository, const Clock& clock)
      : repository_(repository), clock_(clock) {}

  // Writes the row of a login that opened `session_id`, now.
  boost::asio::awaitable<Result<void>> record(std::string user_id, std::string session_id,
                                              ClientInfo client);
  // One page of `user_id`'s history, for the caller `caller_id` (another's:
  // AccountErrc::not_owner).
  boost::asio::awaitable<Result<HistoryPage>> page(std::string_view caller_id, std::string user_id,
                                                   std::int64_t page, std::int64_t per_page);

 private:
  storage::LoginHistoryRepository& repository_;
  const Clock& clock_;
};

}  // namespace authsvc::auth
