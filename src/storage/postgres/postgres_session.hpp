#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "storage/postgres/postgres_connection.hpp"
#include "storage/sql_database.hpp"

namespace authsvc::storage::postgres {

// The SqlSession a transaction's work receives: every statement runs on the transaction's
// connection. It may be awaited from any executor (it hops to the strand); it is dead once the
// transaction ends.
class PgSession final : public SqlSession {
 public:
  PgSession(boost::asio::strand<boost::asio::any_io_executor> strand, PgConnection& conn,
            std::chrono::milliseconds query_timeout) noexcept;

  boost::asio::awaitable<Result<SqlResult>> execute(std::string_view sql,
                                                    std::vector<SqlParam> params = {}) override;

  // The first statement error the work saw (it may have swallowed it).
  const std::optional<Error>& first_error() const noexcept { return first_error_; }
  // Called when the transaction ends: later statements fail instead of touching the connection.
  void end() noexcept { conn_ = nullptr; }

 private:
  boost::asio::awaitable<Result<SqlResult>> run(std::string sql, std::vector<SqlParam> params);

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  PgConnection* conn_;
  std::chrono::milliseconds query_timeout_;
  std::optional<Error> first_error_;
};

}  // namespace authsvc::storage::postgres
