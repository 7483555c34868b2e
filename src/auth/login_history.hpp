#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

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

// A user's login history, paginated as Flask-SQLAlchemy's paginate() did for the original
// service: page < 1, per_page < 1, or a page past the end (other than page 1) is
// AccountErrc::page_not_found; per_page is capped at max_per_page.
class LoginHistory {
 public:
  static constexpr std::int64_t kMaxPerPage = 100;

  explicit LoginHistory(storage::LoginHistoryRepository& repository) : repository_(repository) {}

  boost::asio::awaitable<Result<HistoryPage>> page(std::string user_id, std::int64_t page,
                                                   std::int64_t per_page);

 private:
  storage::LoginHistoryRepository& repository_;
};

}  // namespace authsvc::auth
