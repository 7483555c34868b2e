#include "storage/sql_user_repository.hpp"

#include "common/ids.hpp"

namespace authsvc::storage {
namespace {

constexpr std::string_view kInsertUser =
    R"(INSERT INTO "user" (id, email, email_canonical, password, is_superuser, has_password, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7))";
constexpr std::string_view kInsertProfile =
    "INSERT INTO profile (id, user_id, first_name, last_name, phone) VALUES ($1, $2, $3, $4, $5)";
constexpr std::string_view kFindByEmail =
    R"(SELECT id, email, password, is_superuser, has_password FROM "user" WHERE email_canonical = $1)";

}  // namespace

boost::asio::awaitable<Result<CreatedUser>> SqlUserRepository::create(NewUser user) {
  CreatedUser created;
  created.user =
      UserRecord{new_uuid(), user.email, user.password_hash, user.is_superuser, user.has_password};
  created.profile =
      ProfileRecord{new_uuid(), created.user.id, user.first_name, user.last_name, user.phone};
  std::vector<SqlParam> user_params{created.user.id,
                                    user.email,
                                    user.email_canonical,
                                    user.password_hash,
                                    sql_bool(user.is_superuser),
                                    sql_bool(user.has_password),
                                    user.created_at};
  std::vector<SqlParam> profile_params{created.profile.id, created.user.id, user.first_name,
                                       user.last_name, user.phone};
  TransactionWork work = [&](SqlSession& session) -> boost::asio::awaitable<Result<void>> {
    auto inserted = co_await session.execute(kInsertUser, std::move(user_params));
    if (!inserted) co_return inserted.take_error();
    auto profile = co_await session.execute(kInsertProfile, std::move(profile_params));
    if (!profile) co_return profile.take_error();
    co_return ok_result();
  };
  auto done = co_await database_.transaction(std::move(work));
  if (!done) co_return done.take_error();
  co_return created;
}

boost::asio::awaitable<Result<std::optional<UserRecord>>> SqlUserRepository::find_by_email(
    std::string email_canonical) {
  std::vector<SqlParam> params{std::move(email_canonical)};
  auto rows = co_await database_.execute(kFindByEmail, std::move(params));
  if (!rows) co_return rows.take_error();
  if (rows->empty()) co_return std::optional<UserRecord>();
  const auto& row = rows->rows.front();
  co_return std::optional<UserRecord>(UserRecord{row[0].value_or(""), row[1].value_or(""),
                                                 row[2].value_or(""), cell_as_bool(row[3]),
                                                 cell_as_bool(row[4])});
}

}  // namespace authsvc::storage
