#include "storage/sql_user_repository.hpp"

#include "common/ids.hpp"
#include "storage/sql_rows.hpp"

namespace authsvc::storage {
namespace {

// is_active and date_joined have no database defaults (as in the original): every insert sets them.
constexpr std::string_view kInsertUser =
    R"(INSERT INTO "user" (id, email, email_canonical, password_hash, is_active, is_superuser,
                          has_password, date_joined)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8))";
constexpr std::string_view kInsertProfile =
    "INSERT INTO profile (id, user_id, first_name, last_name, phone) VALUES ($1, $2, $3, $4, $5)";
constexpr std::string_view kUserColumns =
    R"(SELECT id, email, password_hash, is_superuser, has_password, is_active, date_joined,
              tokens_valid_after FROM "user" )";
constexpr std::string_view kUpdatePassword =
    R"(UPDATE "user" SET password_hash = $2, has_password = $3 WHERE id = $1)";
constexpr std::string_view kInsertSocialAccount =
    "INSERT INTO social_account (id, user_id, social_id, social_name, email, linked_at) "
    "VALUES ($1, $2, $3, $4, $5, $6)";
constexpr std::string_view kProfileColumns = "SELECT id, user_id, first_name, last_name, phone ";
constexpr std::string_view kRoleNames =
    "SELECT r.name FROM usersroles ur JOIN role r ON r.id = ur.role_id WHERE ur.user_id = $1 "
    "ORDER BY r.name";
constexpr std::string_view kProviders =
    "SELECT DISTINCT social_name FROM social_account WHERE user_id = $1 ORDER BY social_name";

std::optional<UserRecord> user_from(const SqlResult& rows) {
  if (rows.empty()) return std::nullopt;
  const auto& row = rows.rows.front();
  return UserRecord{row[0].value_or(""),  row[1].value_or(""),  row[2].value_or(""),
                    cell_as_bool(row[3]), cell_as_bool(row[4]), cell_as_bool(row[5]),
                    cell_as_time(row[6]), cell_as_time(row[7])};
}

std::optional<ProfileRecord> profile_from(const SqlResult& rows) {
  if (rows.empty()) return std::nullopt;
  const auto& row = rows.rows.front();
  return ProfileRecord{row[0].value_or(""), row[1].value_or(""), row[2], row[3], row[4]};
}

}  // namespace

boost::asio::awaitable<Result<CreatedUser>> SqlUserRepository::create(NewUser user) {
  CreatedUser created;
  created.user = UserRecord{new_uuid(),        user.email, user.password_hash, user.is_superuser,
                            user.has_password, true,       user.date_joined,   std::nullopt};
  created.profile =
      ProfileRecord{new_uuid(), created.user.id, user.first_name, user.last_name, user.phone};
  std::vector<SqlParam> user_params{created.user.id,
                                    user.email,
                                    user.email_canonical,
                                    user.password_hash,
                                    sql_bool(true),
                                    sql_bool(user.is_superuser),
                                    sql_bool(user.has_password),
                                    format_timestamp(user.date_joined)};
  std::vector<SqlParam> profile_params{created.profile.id, created.user.id, user.first_name,
                                       user.last_name, user.phone};
  std::vector<SqlParam> link_params;
  if (user.link) {
    link_params = {new_uuid(),          created.user.id,  user.link->provider_user_id,
                   user.link->provider, user.link->email, format_timestamp(user.date_joined)};
  }
  TransactionWork work = [&](SqlSession& session) -> boost::asio::awaitable<Result<void>> {
    auto inserted = co_await session.execute(kInsertUser, std::move(user_params));
    if (!inserted) co_return inserted.take_error();
    auto profile = co_await session.execute(kInsertProfile, std::move(profile_params));
    if (!profile) co_return profile.take_error();
    if (!link_params.empty()) {
      auto linked = co_await session.execute(kInsertSocialAccount, std::move(link_params));
      if (!linked) co_return linked.take_error();
    }
    co_return ok_result();
  };
  auto done = co_await database_.transaction(std::move(work));
  if (!done) co_return done.take_error();
  co_return created;
}

boost::asio::awaitable<Result<std::optional<UserRecord>>> SqlUserRepository::find_by_email(
    std::string email_canonical) {
  const std::string sql = std::string(kUserColumns) + "WHERE email_canonical = $1";
  std::vector<SqlParam> params{std::move(email_canonical)};
  auto rows = co_await database_.execute(sql, std::move(params));
  if (!rows) co_return rows.take_error();
  co_return user_from(*rows);
}

boost::asio::awaitable<Result<std::optional<UserRecord>>> SqlUserRepository::find_by_id(
    std::string user_id) {
  const std::string sql = std::string(kUserColumns) + "WHERE id = $1";
  std::vector<SqlParam> params{std::move(user_id)};
  auto rows = co_await database_.execute(sql, std::move(params));
  if (!rows) co_return rows.take_error();
  co_return user_from(*rows);
}

boost::asio::awaitable<Result<bool>> SqlUserRepository::clear_password(std::string user_id) {
  // "!" never verifies, here or in the original's Werkzeug check.
  std::vector<SqlParam> params{std::move(user_id), "!", sql_bool(false)};
  auto done = co_await database_.execute(kUpdatePassword, std::move(params));
  if (!done) co_return done.take_error();
  co_return done->affected_rows == 1;
}

boost::asio::awaitable<Result<bool>> SqlUserRepository::update_password(std::string user_id,
                                                                        std::string password_hash) {
  std::vector<SqlParam> params{std::move(user_id), std::move(password_hash), sql_bool(true)};
  auto done = co_await database_.execute(kUpdatePassword, std::move(params));
  if (!done) co_return done.take_error();
  co_return done->affected_rows == 1;
}

boost::asio::awaitable<Result<std::vector<std::string>>> SqlUserRepository::sample_werkzeug_hashes(
    std::int64_t limit) {
  // The limit is a number, written into the statement (SQLite's LIMIT takes no text parameter).
  const std::string sql =
      R"(SELECT password_hash FROM "user"
          WHERE password_hash LIKE 'pbkdf2%' OR password_hash LIKE 'scrypt%' LIMIT )" +
      std::to_string(std::max<std::int64_t>(limit, 0));
  auto rows = co_await database_.execute(sql, {});
  if (!rows) co_return rows.take_error();
  std::vector<std::string> out;
  for (const auto& row : rows->rows) {
    if (row[0]) out.push_back(*row[0]);
  }
  co_return out;
}

boost::asio::awaitable<Result<void>> SqlUserRepository::invalidate_tokens_before(
    std::string user_id, TimePoint cutoff) {
  // Never moved back: of two events, the later cut-off holds.
  std::vector<SqlParam> params{std::move(user_id), format_timestamp(cutoff)};
  auto done = co_await database_.execute(
      R"(UPDATE "user" SET tokens_valid_after = $2
          WHERE id = $1 AND (tokens_valid_after IS NULL OR tokens_valid_after < $2))",
      std::move(params));
  if (!done) co_return done.take_error();
  co_return ok_result();
}

boost::asio::awaitable<Result<std::optional<ProfileRecord>>> SqlUserRepository::find_profile(
    std::string profile_id) {
  const std::string sql = std::string(kProfileColumns) + "FROM profile WHERE id = $1";
  std::vector<SqlParam> params{std::move(profile_id)};
  auto rows = co_await database_.execute(sql, std::move(params));
  if (!rows) co_return rows.take_error();
  co_return profile_from(*rows);
}

boost::asio::awaitable<Result<std::optional<ProfileRecord>>>
SqlUserRepository::find_profile_of_user(std::string user_id) {
  const std::string sql = std::string(kProfileColumns) + "FROM profile WHERE user_id = $1";
  std::vector<SqlParam> params{std::move(user_id)};
  auto rows = co_await database_.execute(sql, std::move(params));
  if (!rows) co_return rows.take_error();
  co_return profile_from(*rows);
}

boost::asio::awaitable<Result<void>> SqlUserRepository::update_profile(std::string profile_id,
                                                                       ProfileChanges changes) {
  std::string sql = "UPDATE profile SET ";
  std::vector<SqlParam> params{std::move(profile_id)};
  auto add = [&](std::string_view column, std::optional<std::optional<std::string>>& value) {
    if (!value) return;
    if (params.size() > 1) sql += ", ";
    params.push_back(std::move(*value));
    sql += std::string(column) + " = $" + std::to_string(params.size());
  };
  add("first_name", changes.first_name);
  add("last_name", changes.last_name);
  add("phone", changes.phone);
  if (params.size() == 1) co_return ok_result();
  sql += " WHERE id = $1";
  auto done = co_await database_.execute(sql, std::move(params));
  if (!done) co_return done.take_error();
  co_return ok_result();
}

boost::asio::awaitable<Result<std::vector<std::string>>> SqlUserRepository::role_names(
    std::string user_id) {
  std::vector<SqlParam> params{std::move(user_id)};
  auto rows = co_await database_.execute(kRoleNames, std::move(params));
  if (!rows) co_return rows.take_error();
  co_return first_column(*rows);
}

boost::asio::awaitable<Result<std::vector<std::string>>> SqlUserRepository::linked_providers(
    std::string user_id) {
  std::vector<SqlParam> params{std::move(user_id)};
  auto rows = co_await database_.execute(kProviders, std::move(params));
  if (!rows) co_return rows.take_error();
  co_return first_column(*rows);
}

}  // namespace authsvc::storage
