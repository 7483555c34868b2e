#include "storage/signing_key_repository.hpp"

#include <memory>
#include <string_view>
#include <utility>

namespace authsvc::storage {
namespace {

constexpr std::string_view kSelectAll =
    "SELECT kid, alg, private_pem, created_at, retired_at, not_after FROM signing_key "
    "ORDER BY created_at, kid";
constexpr std::string_view kInsert =
    "INSERT INTO signing_key (kid, alg, private_pem, created_at, retired_at, not_after) "
    "VALUES ($1, $2, $3, $4, $5, $6)";
constexpr std::string_view kRetireActive =
    "UPDATE signing_key SET retired_at = $2, not_after = $3 WHERE alg = $1 AND retired_at IS NULL";
constexpr std::string_view kDeleteExpired =
    "DELETE FROM signing_key WHERE not_after IS NOT NULL AND not_after < $1";

SqlParam optional_time(const std::optional<TimePoint>& time) {
  if (!time) return std::nullopt;
  return format_timestamp(*time);
}

std::vector<SqlParam> insert_params(const SigningKeyRow& row) {
  std::vector<SqlParam> params;
  params.reserve(6);
  params.emplace_back(row.kid);
  params.emplace_back(row.alg);
  params.emplace_back(row.private_pem);
  params.emplace_back(format_timestamp(row.created_at));
  params.push_back(optional_time(row.retired_at));
  params.push_back(optional_time(row.not_after));
  return params;
}

Result<std::optional<TimePoint>> optional_time_cell(const SqlCell& cell, std::string_view what) {
  if (!cell) return std::optional<TimePoint>();
  auto time = parse_timestamp(*cell);
  if (!time) return Error(InfraErrc::internal, "unreadable signing_key." + std::string(what));
  return std::optional<TimePoint>(*time);
}

struct RotationPlan {
  std::string alg;
  TimePoint retired_at;
  TimePoint not_after;
  SigningKeyRow replacement;
};

boost::asio::awaitable<Result<void>> run_rotation(SqlSession& session,
                                                  std::shared_ptr<const RotationPlan> plan) {
  std::vector<SqlParam> retire_params;
  retire_params.emplace_back(plan->alg);
  retire_params.emplace_back(format_timestamp(plan->retired_at));
  retire_params.emplace_back(format_timestamp(plan->not_after));
  auto retired = co_await session.execute(kRetireActive, std::move(retire_params));
  if (!retired) co_return retired.take_error();

  std::vector<SqlParam> delete_params;
  delete_params.emplace_back(format_timestamp(plan->retired_at));
  auto deleted = co_await session.execute(kDeleteExpired, std::move(delete_params));
  if (!deleted) co_return deleted.take_error();

  auto params = insert_params(plan->replacement);
  auto inserted = co_await session.execute(kInsert, std::move(params));
  if (!inserted) co_return inserted.take_error();
  co_return ok_result();
}

}  // namespace

boost::asio::awaitable<Result<std::vector<SigningKeyRow>>> SigningKeyRepository::load_all() {
  auto result = co_await db_.execute(kSelectAll);
  if (!result) co_return result.take_error();
  std::vector<SigningKeyRow> rows;
  rows.reserve(result->size());
  for (const auto& cells : result->rows) {
    if (cells.size() != 6 || !cells[0] || !cells[1] || !cells[2] || !cells[3]) {
      co_return Error(InfraErrc::internal, "unexpected signing_key row");
    }
    SigningKeyRow row;
    row.kid = *cells[0];
    row.alg = *cells[1];
    row.private_pem = *cells[2];
    auto created = parse_timestamp(*cells[3]);
    if (!created) co_return Error(InfraErrc::internal, "unreadable signing_key.created_at");
    row.created_at = *created;
    auto retired = optional_time_cell(cells[4], "retired_at");
    if (!retired) co_return retired.take_error();
    row.retired_at = *retired;
    auto not_after = optional_time_cell(cells[5], "not_after");
    if (!not_after) co_return not_after.take_error();
    row.not_after = *not_after;
    rows.push_back(std::move(row));
  }
  co_return rows;
}

boost::asio::awaitable<Result<void>> SigningKeyRepository::insert(SigningKeyRow row) {
  auto params = insert_params(row);
  auto result = co_await db_.execute(kInsert, std::move(params));
  if (!result) co_return result.take_error();
  co_return ok_result();
}

boost::asio::awaitable<Result<bool>> SigningKeyRepository::replace_private_key(std::string kid,
                                                                               std::string stored) {
  std::vector<SqlParam> params{std::move(kid), std::move(stored)};
  auto result = co_await db_.execute("UPDATE signing_key SET private_pem = $2 WHERE kid = $1",
                                     std::move(params));
  if (!result) co_return result.take_error();
  co_return result->affected_rows == 1;
}

boost::asio::awaitable<Result<void>> SigningKeyRepository::rotate(std::string alg,
                                                                  TimePoint retired_at,
                                                                  TimePoint not_after,
                                                                  SigningKeyRow replacement) {
  auto plan = std::make_shared<RotationPlan>(
      RotationPlan{std::move(alg), retired_at, not_after, std::move(replacement)});
  // The coroutine gets the plan by value, so it never depends on the lambda object's lifetime.
  TransactionWork work = [plan](SqlSession& session) { return run_rotation(session, plan); };
  co_return co_await db_.transaction(std::move(work));
}

}  // namespace authsvc::storage
