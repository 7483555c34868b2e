#include "storage/postgres/postgres_database.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/strand.hpp>
#include <stdexcept>
#include <string>
#include <utility>

#include "storage/postgres/postgres_client.hpp"
#include "storage/postgres/run_on_strand.hpp"

namespace authsvc::storage {

namespace asio = boost::asio;
using postgres::PgClient;

namespace {

PostgresConfig validated(PostgresConfig config) {
  if (config.pool_size == 0) throw std::invalid_argument("PostgreSQL pool_size must be at least 1");
  using std::chrono::milliseconds;
  if (config.connect_timeout <= milliseconds::zero() ||
      config.query_timeout <= milliseconds::zero() ||
      config.acquire_timeout <= milliseconds::zero()) {
    throw std::invalid_argument("PostgreSQL timeouts must be positive");
  }
  return config;
}

}  // namespace

PostgresDatabase::PostgresDatabase(asio::any_io_executor executor, PostgresConfig config)
    : client_(std::make_shared<PgClient>(asio::make_strand(std::move(executor)),
                                         validated(std::move(config)))) {}

PostgresDatabase::~PostgresDatabase() {
  close();
}

void PostgresDatabase::close() {
  asio::dispatch(client_->strand(), [client = client_] { client->close(); });
}

asio::awaitable<Result<SqlResult>> PostgresDatabase::execute(std::string_view sql,
                                                             std::vector<SqlParam> params) {
  co_return co_await postgres::run_on_strand(
      client_->strand(), PgClient::execute(client_, std::string(sql), std::move(params)));
}

asio::awaitable<Result<void>> PostgresDatabase::transaction(TransactionWork work) {
  co_return co_await postgres::run_on_strand(client_->strand(),
                                             PgClient::transaction(client_, std::move(work)));
}

asio::awaitable<Result<void>> PostgresDatabase::execute_script(std::string_view sql) {
  co_return co_await postgres::run_on_strand(client_->strand(),
                                             PgClient::execute_script(client_, std::string(sql)));
}

}  // namespace authsvc::storage
