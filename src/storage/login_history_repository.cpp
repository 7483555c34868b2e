#include "storage/login_history_repository.hpp"

#include "common/ids.hpp"
#include "storage/sql_rows.hpp"

namespace authsvc::storage {

boost::asio::awaitable<Result<void>> LoginHistoryRepository::append(LoginHistoryRow row) {
  std::vector<SqlParam> params{new_uuid(),
                               std::move(row.user_id),
                               std::move(row.user_agent),
                               format_timestamp(row.authentication_date),
                               std::move(row.ip),
                               std::move(row.session_id)};
  auto done = co_await database_.execute(
      "INSERT INTO login_histories (id, user_id, user_agent, authentication_date, ip, session_id) "
      "VALUES ($1, $2, $3, $4, $5, $6)",
      std::move(params));
  if (!done) co_return done.take_error();
  co_return ok_result();
}

boost::asio::awaitable<Result<std::int64_t>> LoginHistoryRepository::count(std::string user_id) {
  std::vector<SqlParam> params{std::move(user_id)};
  auto rows = co_await database_.execute("SELECT count(*) FROM login_histories WHERE user_id = $1",
                                         std::move(params));
  if (!rows) co_return rows.take_error();
  co_return rows->empty() ? std::int64_t{0} : cell_as_int(rows->at(0, 0));
}

boost::asio::awaitable<Result<std::vector<LoginHistoryEntry>>> LoginHistoryRepository::page(
    std::string user_id, std::int64_t limit, std::int64_t offset) {
  std::vector<SqlParam> params{std::move(user_id), std::to_string(limit), std::to_string(offset)};
  auto rows = co_await database_.execute(
      "SELECT user_agent, authentication_date FROM login_histories WHERE user_id = $1 "
      "ORDER BY authentication_date DESC, id DESC LIMIT $2 OFFSET $3",
      std::move(params));
  if (!rows) co_return rows.take_error();
  std::vector<LoginHistoryEntry> out;
  out.reserve(rows->size());
  for (const auto& row : rows->rows) {
    out.push_back({row[0], cell_as_time(row[1]).value_or(TimePoint{})});
  }
  co_return out;
}

}  // namespace authsvc::storage
