#include "storage/user_change_repository.hpp"

#include "storage/sql_rows.hpp"

namespace authsvc::storage {

boost::asio::awaitable<Result<void>> UserChangeRepository::record(std::string user_id,
                                                                  TimePoint now) {
  std::vector<SqlParam> params{std::move(user_id), format_timestamp(now)};
  auto done = co_await database_.execute(
      "INSERT INTO auth_user_change (user_id, changed_at) VALUES ($1, $2)", std::move(params));
  if (!done) co_return done.take_error();
  co_return ok_result();
}

boost::asio::awaitable<Result<std::vector<std::string>>> UserChangeRepository::changed_since(
    TimePoint since) {
  std::vector<SqlParam> params{format_timestamp(since)};
  auto rows = co_await database_.execute(
      "SELECT DISTINCT user_id FROM auth_user_change WHERE changed_at >= $1", std::move(params));
  if (!rows) co_return rows.take_error();
  std::vector<std::string> users;
  users.reserve(rows->size());
  for (const auto& row : rows->rows) {
    if (row[0]) users.push_back(*row[0]);
  }
  co_return users;
}

boost::asio::awaitable<Result<std::int64_t>> UserChangeRepository::purge(TimePoint before) {
  std::vector<SqlParam> params{format_timestamp(before)};
  auto done = co_await database_.execute("DELETE FROM auth_user_change WHERE changed_at < $1",
                                         std::move(params));
  if (!done) co_return done.take_error();
  co_return done->affected_rows;
}

}  // namespace authsvc::storage
