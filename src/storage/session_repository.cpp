#include "storage/session_repository.hpp"

#include "common/ids.hpp"
#include "storage/sql_rows.hpp"

namespace authsvc::storage {
namespace {

constexpr std::string_view kColumns =
    "SELECT id, user_id, user_agent, ip, provider, created_at, refreshed_at, expires_at, "
    "revoked_at, refresh_jti, previous_refresh_jti, rotated_at FROM auth_session ";

SessionRecord session_from(const std::vector<SqlCell>& row) {
  SessionRecord s;
  s.id = row[0].value_or("");
  s.user_id = row[1].value_or("");
  s.user_agent = row[2];
  s.ip = row[3];
  s.provider = row[4].value_or("");
  s.created_at = cell_as_time(row[5]).value_or(TimePoint{});
  s.refreshed_at = cell_as_time(row[6]).value_or(TimePoint{});
  s.expires_at = cell_as_time(row[7]).value_or(TimePoint{});
  s.revoked_at = cell_as_time(row[8]);
  s.refresh_jti = row[9];
  s.previous_refresh_jti = row[10];
  s.rotated_at = cell_as_time(row[11]);
  return s;
}

std::vector<EndedSession> ended_from(const SqlResult& rows) {
  std::vector<EndedSession> out;
  for (const auto& row : rows.rows) {
    out.push_back({row[0].value_or(""), cell_as_time(row[1]).value_or(TimePoint{})});
  }
  return out;
}

}  // namespace

boost::asio::awaitable<Result<void>> SessionRepository::open(SessionRecord session) {
  const std::string created = format_timestamp(session.created_at);
  std::vector<SqlParam> session_params{session.id,
                                       session.user_id,
                                       session.user_agent,
                                       session.ip,
                                       session.provider,
                                       created,
                                       created,
                                       format_timestamp(session.expires_at),
                                       session.refresh_jti};
  auto inserted = co_await database_.execute(
      "INSERT INTO auth_session (id, user_id, user_agent, ip, provider, created_at, "
      "refreshed_at, expires_at, refresh_jti) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
      std::move(session_params));
  if (!inserted) co_return inserted.take_error();
  co_return ok_result();
}

boost::asio::awaitable<Result<std::optional<SessionRecord>>> SessionRepository::find(
    std::string session_id) {
  const std::string sql = std::string(kColumns) + "WHERE id = $1";
  std::vector<SqlParam> params{std::move(session_id)};
  auto rows = co_await database_.execute(sql, std::move(params));
  if (!rows) co_return rows.take_error();
  if (rows->empty()) co_return std::optional<SessionRecord>();
  co_return std::optional<SessionRecord>(session_from(rows->rows.front()));
}

boost::asio::awaitable<Result<std::vector<SessionRecord>>> SessionRepository::list_live(
    std::string user_id, TimePoint now) {
  const std::string sql = std::string(kColumns) +
                          "WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 "
                          "ORDER BY created_at DESC, id";
  std::vector<SqlParam> params{std::move(user_id), format_timestamp(now)};
  auto rows = co_await database_.execute(sql, std::move(params));
  if (!rows) co_return rows.take_error();
  std::vector<SessionRecord> out;
  for (const auto& row : rows->rows) out.push_back(session_from(row));
  co_return out;
}

boost::asio::awaitable<Result<bool>> SessionRepository::rotate(Rotation rotation) {
  const std::string now = format_timestamp(rotation.now);
  if (database_.dialect() == SqlDialect::postgres) {
    // One round trip instead of four (BEGIN, UPDATE, INSERT, COMMIT): a statement with
    // data-modifying CTEs is atomic on its own. Refresh is a hot path.
    std::vector<SqlParam> params{rotation.session_id,
                                 rotation.old_jti,
                                 rotation.new_jti,
                                 now,
                                 format_timestamp(rotation.new_expires_at),
                                 rotation.revoked_access_jti,
                                 format_timestamp(rotation.access_expires_at)};
    auto rows = co_await database_.execute(
        "WITH swapped AS ("
        "  UPDATE auth_session SET refresh_jti = $3, previous_refresh_jti = $2, rotated_at = $4,"
        "         refreshed_at = $4, expires_at = $5"
        "   WHERE id = $1 AND refresh_jti = $2 AND revoked_at IS NULL AND expires_at > $4"
        "  RETURNING id),"
        " revoked AS ("
        "  INSERT INTO revoked_token (jti, session_id, expires_at, revoked_at)"
        "  SELECT $6::uuid, id, $7::timestamp, $4::timestamp FROM swapped WHERE $6::uuid IS NOT "
        "NULL"
        "  ON CONFLICT (jti) DO NOTHING)"
        "SELECT count(*) FROM swapped",
        std::move(params));
    if (!rows) co_return rows.take_error();
    co_return !rows->empty() && cell_as_int(rows->at(0, 0)) == 1;
  }
  std::vector<SqlParam> swap_params{rotation.session_id, rotation.old_jti, rotation.new_jti, now,
                                    format_timestamp(rotation.new_expires_at)};
  std::vector<SqlParam> revoke_params{rotation.revoked_access_jti, rotation.session_id,
                                      format_timestamp(rotation.access_expires_at), now};
  bool swapped = false;
  TransactionWork work = [&](SqlSession& tx) -> boost::asio::awaitable<Result<void>> {
    auto updated = co_await tx.execute(
        "UPDATE auth_session SET refresh_jti = $3, previous_refresh_jti = $2, rotated_at = $4, "
        "refreshed_at = $4, expires_at = $5 "
        "WHERE id = $1 AND refresh_jti = $2 AND revoked_at IS NULL AND expires_at > $4",
        std::move(swap_params));
    if (!updated) co_return updated.take_error();
    swapped = updated->affected_rows == 1;
    if (!swapped || !revoke_params[0]) co_return ok_result();
    auto revoked = co_await tx.execute(
        "INSERT INTO revoked_token (jti, session_id, expires_at, revoked_at) "
        "VALUES ($1, $2, $3, $4) ON CONFLICT (jti) DO NOTHING",
        std::move(revoke_params));
    if (!revoked) co_return revoked.take_error();
    co_return ok_result();
  };
  auto done = co_await database_.transaction(std::move(work));
  if (!done) co_return done.take_error();
  co_return swapped;
}

boost::asio::awaitable<Result<std::optional<EndedSession>>> SessionRepository::end(
    std::string session_id, std::optional<std::string> user_id, std::string reason, TimePoint now) {
  // Two statements rather than "$4 IS NULL OR ...": PostgreSQL cannot type a parameter that only
  // appears in IS NULL.
  std::vector<SqlParam> params{std::move(session_id), format_timestamp(now), std::move(reason)};
  std::string sql =
      "UPDATE auth_session SET revoked_at = $2, revoke_reason = $3 "
      "WHERE id = $1 AND revoked_at IS NULL";
  if (user_id) {
    params.push_back(std::move(*user_id));
    sql += " AND user_id = $4";
  }
  sql += " RETURNING id, expires_at";
  auto rows = co_await database_.execute(sql, std::move(params));
  if (!rows) co_return rows.take_error();
  auto ended = ended_from(*rows);
  if (ended.empty()) co_return std::optional<EndedSession>();
  co_return std::optional<EndedSession>(std::move(ended.front()));
}

boost::asio::awaitable<Result<std::vector<EndedSession>>> SessionRepository::end_all(
    std::string user_id, std::optional<std::string> keep, std::string reason, TimePoint now) {
  std::vector<SqlParam> params{std::move(user_id), format_timestamp(now), std::move(reason)};
  std::string sql =
      "UPDATE auth_session SET revoked_at = $2, revoke_reason = $3 "
      "WHERE user_id = $1 AND revoked_at IS NULL";
  if (keep) {
    params.push_back(std::move(*keep));
    sql += " AND id <> $4";
  }
  sql += " RETURNING id, expires_at";
  auto rows = co_await database_.execute(sql, std::move(params));
  if (!rows) co_return rows.take_error();
  co_return ended_from(*rows);
}

boost::asio::awaitable<Result<std::vector<EndedSession>>> SessionRepository::end_opened_by(
    std::string user_id, std::string provider, std::string reason, TimePoint now) {
  std::vector<SqlParam> params{std::move(user_id), format_timestamp(now), std::move(reason),
                               std::move(provider)};
  auto rows = co_await database_.execute(
      "UPDATE auth_session SET revoked_at = $2, revoke_reason = $3 "
      "WHERE user_id = $1 AND provider = $4 AND revoked_at IS NULL RETURNING id, expires_at",
      std::move(params));
  if (!rows) co_return rows.take_error();
  co_return ended_from(*rows);
}

boost::asio::awaitable<Result<std::vector<EndedSession>>> SessionRepository::ended_unexpired(
    TimePoint now) {
  co_return co_await ended_since(TimePoint{}, now);
}

boost::asio::awaitable<Result<std::vector<EndedSession>>> SessionRepository::ended_since(
    TimePoint since, TimePoint now) {
  std::vector<SqlParam> params{format_timestamp(since), format_timestamp(now)};
  auto rows = co_await database_.execute(
      "SELECT id, expires_at FROM auth_session WHERE revoked_at >= $1 AND expires_at > $2",
      std::move(params));
  if (!rows) co_return rows.take_error();
  co_return ended_from(*rows);
}

}  // namespace authsvc::storage
