#pragma once

#include <memory>
#include <string>

#include "storage/sql_database.hpp"

namespace authsvc::storage {

// Where the statements go, as OpenTelemetry's database conventions name it on each span.
struct SqlSpanTarget {
  std::string system;  // "postgresql" or "sqlite"
  std::string server_address;
  int server_port = 0;
  std::string database;  // db.namespace
};

// A SqlDatabase that gives each statement of a sampled request a client span ("SELECT user",
// db.query.text with its placeholders, never the parameters), and each transaction a span that its
// statements nest under. Errors mark the span with the error's kind, never the database's text
// (which can quote values). Outside a sampled request it adds nothing but a branch.
class TracedSqlDatabase final : public SqlDatabase {
 public:
  TracedSqlDatabase(std::unique_ptr<SqlDatabase> inner, SqlSpanTarget target)
      : inner_(std::move(inner)), target_(std::move(target)) {}

  SqlDialect dialect() const noexcept override { return inner_->dialect(); }
  boost::asio::awaitable<Result<SqlResult>> execute(std::string_view sql,
                                                    std::vector<SqlParam> params) override;
  boost::asio::awaitable<Result<void>> transaction(TransactionWork work) override;
  boost::asio::awaitable<Result<void>> execute_script(std::string_view sql) override;

 private:
  std::unique_ptr<SqlDatabase> inner_;
  SqlSpanTarget target_;
};

// "SELECT user", "INSERT auth_session", "BEGIN": the operation and the first table it names, the
// short name OpenTelemetry gives a statement's span.
std::string sql_span_name(std::string_view sql);

}  // namespace authsvc::storage
