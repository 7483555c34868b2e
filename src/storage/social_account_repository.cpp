#include "storage/social_account_repository.hpp"

#include "common/ids.hpp"
#include "storage/sql_rows.hpp"

namespace authsvc::storage {
namespace {

constexpr std::string_view kColumns =
    "SELECT user_id, social_name, social_id, email, linked_at FROM social_account ";

std::vector<SocialAccountRecord> records_from(const SqlResult& rows) {
  std::vector<SocialAccountRecord> out;
  out.reserve(rows.size());
  for (const auto& row : rows.rows) {
    out.push_back({row[0].value_or(""),
                   SocialLink{row[1].value_or(""), row[2].value_or(""), row[3]},
                   cell_as_time(row[4]).value_or(TimePoint{})});
  }
  return out;
}

}  // namespace

boost::asio::awaitable<Result<std::optional<SocialAccountRecord>>> SocialAccountRepository::find(
    std::string provider, std::string provider_user_id) {
  const std::string sql = std::string(kColumns) + "WHERE social_name = $1 AND social_id = $2";
  std::vector<SqlParam> params{std::move(provider), std::move(provider_user_id)};
  auto rows = co_await database_.execute(sql, std::move(params));
  if (!rows) co_return rows.take_error();
  auto found = records_from(*rows);
  if (found.empty()) co_return std::optional<SocialAccountRecord>();
  co_return std::optional<SocialAccountRecord>(std::move(found.front()));
}

boost::asio::awaitable<Result<std::vector<SocialAccountRecord>>> SocialAccountRepository::of_user(
    std::string user_id) {
  const std::string sql =
      std::string(kColumns) + "WHERE user_id = $1 ORDER BY social_name, linked_at";
  std::vector<SqlParam> params{std::move(user_id)};
  auto rows = co_await database_.execute(sql, std::move(params));
  if (!rows) co_return rows.take_error();
  co_return records_from(*rows);
}

boost::asio::awaitable<Result<void>> SocialAccountRepository::link(std::string user_id,
                                                                   SocialLink link, TimePoint now) {
  std::vector<SqlParam> params{new_uuid(),
                               std::move(user_id),
                               std::move(link.provider_user_id),
                               std::move(link.provider),
                               std::move(link.email),
                               format_timestamp(now)};
  auto done = co_await database_.execute(
      "INSERT INTO social_account (id, user_id, social_id, social_name, email, linked_at) "
      "VALUES ($1, $2, $3, $4, $5, $6)",
      std::move(params));
  if (!done) co_return done.take_error();
  co_return ok_result();
}

boost::asio::awaitable<Result<std::int64_t>> SocialAccountRepository::unlink(std::string user_id,
                                                                             std::string provider) {
  std::vector<SqlParam> params{std::move(user_id), std::move(provider)};
  auto done = co_await database_.execute(
      "DELETE FROM social_account WHERE user_id = $1 AND social_name = $2", std::move(params));
  if (!done) co_return done.take_error();
  co_return done->affected_rows;
}

}  // namespace authsvc::storage
