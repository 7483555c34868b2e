#include "storage/postgres/postgres_session.hpp"

#include <utility>

#include "storage/postgres/run_on_strand.hpp"

namespace authsvc::storage::postgres {

PgSession::PgSession(boost::asio::strand<boost::asio::any_io_executor> strand, PgConnection& conn,
                     std::chrono::milliseconds query_timeout) noexcept
    : strand_(std::move(strand)), conn_(&conn), query_timeout_(query_timeout) {}

boost::asio::awaitable<Result<SqlResult>> PgSession::execute(std::string_view sql,
                                                             std::vector<SqlParam> params) {
  co_return co_await run_on_strand(strand_, run(std::string(sql), std::move(params)));
}

boost::asio::awaitable<Result<SqlResult>> PgSession::run(std::string sql,
                                                         std::vector<SqlParam> params) {
  if (conn_ == nullptr)
    co_return Error(InfraErrc::internal, "statement on a transaction that has ended");
  auto result =
      co_await conn_->execute(std::move(sql), std::move(params), Clock::now() + query_timeout_);
  if (!result && !first_error_) first_error_ = result.error();
  co_return result;
}

}  // namespace authsvc::storage::postgres
