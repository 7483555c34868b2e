#include "storage/revocation_repository.hpp"

#include "common/ids.hpp"
#include "storage/sql_rows.hpp"

namespace authsvc::storage {

boost::asio::awaitable<Result<bool>> RevocationRepository::add(
    std::string jti, std::optional<std::string> session_id, TimePoint expires_at, TimePoint now) {
  if (!is_uuid(jti)) co_return false;
  if (session_id && !is_uuid(*session_id)) session_id.reset();
  std::vector<SqlParam> params{std::move(jti), std::move(session_id), format_timestamp(expires_at),
                               format_timestamp(now)};
  auto done = co_await database_.execute(
      "INSERT INTO revoked_token (jti, session_id, expires_at, revoked_at) VALUES ($1, $2, $3, $4) "
      "ON CONFLICT (jti) DO NOTHING",
      std::move(params));
  if (!done) co_return done.take_error();
  co_return done->affected_rows == 1;
}

boost::asio::awaitable<Result<std::optional<RevocationRecord>>> RevocationRepository::find(
    std::string jti) {
  std::optional<RevocationRecord> none;
  if (!is_uuid(jti)) co_return none;
  std::vector<SqlParam> params{std::move(jti)};
  auto rows = co_await database_.execute(
      "SELECT session_id, revoked_at FROM revoked_token WHERE jti = $1", std::move(params));
  if (!rows) co_return rows.take_error();
  if (rows->empty()) co_return none;
  const auto& row = rows->rows.front();
  co_return RevocationRecord{row[0], cell_as_time(row[1]).value_or(TimePoint{})};
}

boost::asio::awaitable<Result<bool>> RevocationRepository::is_revoked(
    std::string jti, std::optional<std::string> session_id) {
  const bool jti_known = is_uuid(jti);
  const bool sid_known = session_id && is_uuid(*session_id);
  if (!jti_known && !sid_known) co_return false;
  std::vector<SqlParam> params{jti_known ? SqlParam(std::move(jti)) : SqlParam(),
                               sid_known ? SqlParam(std::move(*session_id)) : SqlParam()};
  auto rows = co_await database_.execute(
      "SELECT 1 FROM revoked_token WHERE jti = $1 "
      "UNION ALL SELECT 1 FROM auth_session WHERE id = $2 AND revoked_at IS NOT NULL",
      std::move(params));
  if (!rows) co_return rows.take_error();
  co_return !rows->empty();
}

boost::asio::awaitable<Result<std::vector<RevokedToken>>> RevocationRepository::unexpired(
    TimePoint now) {
  co_return co_await revoked_since(TimePoint{}, now);
}

boost::asio::awaitable<Result<std::vector<RevokedToken>>> RevocationRepository::revoked_since(
    TimePoint since, TimePoint now) {
  std::vector<SqlParam> params{format_timestamp(since), format_timestamp(now)};
  auto rows = co_await database_.execute(
      "SELECT jti, expires_at FROM revoked_token WHERE revoked_at >= $1 AND expires_at > $2",
      std::move(params));
  if (!rows) co_return rows.take_error();
  std::vector<RevokedToken> out;
  out.reserve(rows->size());
  for (const auto& row : rows->rows) {
    out.push_back({row[0].value_or(""), cell_as_time(row[1]).value_or(TimePoint{})});
  }
  co_return out;
}

boost::asio::awaitable<Result<DenylistDoubt>> DenylistStateRepository::read() {
  auto rows = co_await database_.execute(
      "SELECT doubt_epoch, cleared_epoch FROM auth_denylist_state WHERE id = 1", {});
  if (!rows) co_return rows.take_error();
  DenylistDoubt doubt;
  if (rows->empty()) co_return doubt;
  const auto& row = rows->rows.front();
  try {
    doubt.raised = std::stoll(row[0].value_or("0"));
    doubt.cleared = std::stoll(row[1].value_or("0"));
  } catch (const std::exception&) {
    co_return Error(InfraErrc::internal, "unreadable auth_denylist_state row");
  }
  co_return doubt;
}

boost::asio::awaitable<Result<void>> DenylistStateRepository::raise() {
  auto done = co_await database_.execute(
      "UPDATE auth_denylist_state SET doubt_epoch = doubt_epoch + 1 WHERE id = 1", {});
  if (!done) co_return done.take_error();
  co_return ok_result();
}

boost::asio::awaitable<Result<void>> DenylistStateRepository::clear(std::int64_t raised) {
  std::vector<SqlParam> params{std::to_string(raised)};
  auto done = co_await database_.execute(
      "UPDATE auth_denylist_state SET cleared_epoch = $1 WHERE id = 1 AND cleared_epoch < $1",
      std::move(params));
  if (!done) co_return done.take_error();
  co_return ok_result();
}

boost::asio::awaitable<Result<std::int64_t>> RevocationRepository::purge_expired(TimePoint now) {
  std::vector<SqlParam> params{format_timestamp(now)};
  auto done = co_await database_.execute("DELETE FROM revoked_token WHERE expires_at <= $1",
                                         std::move(params));
  if (!done) co_return done.take_error();
  co_return done->affected_rows;
}

boost::asio::awaitable<Result<void>> AuditRepository::record(std::string kind,
                                                             std::optional<std::string> user_id,
                                                             std::optional<std::string> session_id,
                                                             std::string detail, TimePoint now) {
  std::vector<SqlParam> params{new_uuid(),      std::move(user_id), std::move(session_id),
                               std::move(kind), std::move(detail),  format_timestamp(now)};
  auto done = co_await database_.execute(
      "INSERT INTO audit_event (id, user_id, session_id, kind, detail, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6)",
      std::move(params));
  if (!done) co_return done.take_error();
  co_return ok_result();
}

}  // namespace authsvc::storage
