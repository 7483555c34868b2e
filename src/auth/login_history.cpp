#include "auth/login_history.hpp"

#include <algorithm>

#include "auth/account_errors.hpp"

namespace authsvc::auth {

boost::asio::awaitable<Result<void>> LoginHistory::record(std::string user_id,
                                                          std::string session_id,
                                                          ClientInfo client) {
  // The original stored Werkzeug's request.user_agent.string: '' without the header. (A local
  // first: g++ 12 frees a braced temporary inside co_await twice.)
  storage::LoginHistoryRow row{std::move(user_id), std::move(client.user_agent).value_or(""),
                               clock_.now(), std::move(client.ip), std::move(session_id)};
  co_return co_await repository_.append(std::move(row));
}

boost::asio::awaitable<Result<HistoryPage>> LoginHistory::page(std::string_view caller_id,
                                                               std::string user_id,
                                                               std::int64_t page,
                                                               std::int64_t per_page) {
  if (user_id != caller_id) co_return AccountErrc::not_owner;
  if (page < 1 || per_page < 1) co_return AccountErrc::page_not_found;
  per_page = std::min(per_page, kMaxPerPage);
  auto total = co_await repository_.count(user_id);
  if (!total) co_return total.take_error();
  HistoryPage out;
  out.total_items = *total;
  out.total_pages = (*total + per_page - 1) / per_page;
  if (page > 1 && page > out.total_pages) co_return AccountErrc::page_not_found;
  auto items = co_await repository_.page(std::move(user_id), per_page, (page - 1) * per_page);
  if (!items) co_return items.take_error();
  out.items = std::move(items).value();
  if (page > 1) out.prev = page - 1;
  if (page < out.total_pages) out.next = page + 1;
  co_return out;
}

}  // namespace authsvc::auth
