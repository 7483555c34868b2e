#include "storage/role_repository.hpp"

#include "common/ids.hpp"

namespace authsvc::storage {
namespace {

std::optional<RoleRecord> role_from(const SqlResult& rows) {
  if (rows.empty()) return std::nullopt;
  const auto& row = rows.rows.front();
  return RoleRecord{row[0].value_or(""), row[1].value_or(""), row[2]};
}

}  // namespace

boost::asio::awaitable<Result<std::vector<RoleRecord>>> RoleRepository::list() {
  auto rows = co_await database_.execute(
      "SELECT id, name, description FROM role ORDER BY created_seq, name");
  if (!rows) co_return rows.take_error();
  std::vector<RoleRecord> out;
  for (const auto& row : rows->rows)
    out.push_back({row[0].value_or(""), row[1].value_or(""), row[2]});
  co_return out;
}

boost::asio::awaitable<Result<std::optional<RoleRecord>>> RoleRepository::find_by_name(
    std::string name) {
  std::vector<SqlParam> params{std::move(name)};
  auto rows = co_await database_.execute("SELECT id, name, description FROM role WHERE name = $1",
                                         std::move(params));
  if (!rows) co_return rows.take_error();
  co_return role_from(*rows);
}

boost::asio::awaitable<Result<std::optional<RoleRecord>>> RoleRepository::find_by_id(
    std::string id) {
  std::vector<SqlParam> params{std::move(id)};
  auto rows = co_await database_.execute("SELECT id, name, description FROM role WHERE id = $1",
                                         std::move(params));
  if (!rows) co_return rows.take_error();
  co_return role_from(*rows);
}

boost::asio::awaitable<Result<RoleRecord>> RoleRepository::create(
    std::string name, std::optional<std::string> description, std::string created_at) {
  RoleRecord role{new_uuid(), std::move(name), std::move(description)};
  std::vector<SqlParam> params{role.id, role.name, role.description, std::move(created_at)};
  auto done = co_await database_.execute(
      "INSERT INTO role (id, name, description, created_at) VALUES ($1, $2, $3, $4)",
      std::move(params));
  if (!done) co_return done.take_error();
  co_return role;
}

boost::asio::awaitable<Result<bool>> RoleRepository::update(
    std::string id, std::optional<std::string> name,
    std::optional<std::optional<std::string>> description) {
  std::vector<SqlParam> params{std::move(id)};
  std::string sets;
  if (name) {
    params.push_back(std::move(*name));
    sets += "name = $" + std::to_string(params.size());
  }
  if (description) {
    params.push_back(std::move(*description));
    sets +=
        std::string(sets.empty() ? "" : ", ") + "description = $" + std::to_string(params.size());
  }
  if (sets.empty()) sets = "name = name";
  auto done =
      co_await database_.execute("UPDATE role SET " + sets + " WHERE id = $1", std::move(params));
  if (!done) co_return done.take_error();
  co_return done->affected_rows == 1;
}

boost::asio::awaitable<Result<bool>> RoleRepository::remove(std::string id) {
  bool removed = false;
  std::vector<SqlParam> assignments{id};
  std::vector<SqlParam> role{id};
  TransactionWork work = [&](SqlSession& tx) -> boost::asio::awaitable<Result<void>> {
    auto unassigned =
        co_await tx.execute("DELETE FROM usersroles WHERE role_id = $1", std::move(assignments));
    if (!unassigned) co_return unassigned.take_error();
    auto deleted = co_await tx.execute("DELETE FROM role WHERE id = $1", std::move(role));
    if (!deleted) co_return deleted.take_error();
    removed = deleted->affected_rows == 1;
    co_return ok_result();
  };
  auto done = co_await database_.transaction(std::move(work));
  if (!done) co_return done.take_error();
  co_return removed;
}

boost::asio::awaitable<Result<std::string>> RoleRepository::assign(std::string user_id,
                                                                   std::string role_id,
                                                                   std::string created_at) {
  std::string id = new_uuid();
  std::vector<SqlParam> params{id, std::move(user_id), std::move(role_id), std::move(created_at)};
  auto done = co_await database_.execute(
      "INSERT INTO usersroles (id, user_id, role_id, created_at) VALUES ($1, $2, $3, $4)",
      std::move(params));
  if (!done) co_return done.take_error();
  co_return id;
}

boost::asio::awaitable<Result<bool>> RoleRepository::unassign(std::string user_id,
                                                              std::string role_id) {
  std::vector<SqlParam> params{std::move(user_id), std::move(role_id)};
  auto done = co_await database_.execute(
      "DELETE FROM usersroles WHERE user_id = $1 AND role_id = $2", std::move(params));
  if (!done) co_return done.take_error();
  co_return done->affected_rows > 0;
}

boost::asio::awaitable<Result<bool>> RoleRepository::holds(std::string user_id,
                                                           std::string role_id) {
  std::vector<SqlParam> params{std::move(user_id), std::move(role_id)};
  auto rows = co_await database_.execute(
      "SELECT 1 FROM usersroles WHERE user_id = $1 AND role_id = $2", std::move(params));
  if (!rows) co_return rows.take_error();
  co_return !rows->empty();
}

}  // namespace authsvc::storage
