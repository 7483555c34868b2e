#include "storage/sqlite/sqlite_database.hpp"

#include <algorithm>
#include <exception>
#include <filesystem>
#include <system_error>

#include "storage/sqlite/sqlite_pool.hpp"

namespace authsvc::storage {
namespace {

bool is_memory(const std::string& path) {
  return path.empty() || path == ":memory:";
}

// Creates the parent directories of a file path; failures surface when the file is opened.
void create_parent_directories(const std::string& path) {
  if (is_memory(path) || path.rfind("file:", 0) == 0) return;
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) return;
  std::error_code ignored;
  std::filesystem::create_directories(parent, ignored);
}

std::size_t connection_count(const std::string& path, std::size_t requested) {
  // Each connection to ":memory:" would be a separate database.
  if (is_memory(path)) return 1;
  return std::max<std::size_t>(requested, 1);
}

// The statements of one transaction, all on the connection the transaction holds.
class SqliteSession final : public SqlSession {
 public:
  SqliteSession(SqlitePool* pool, SqliteConnection* connection)
      : pool_(pool), connection_(connection) {}

  boost::asio::awaitable<Result<SqlResult>> execute(std::string_view sql,
                                                    std::vector<SqlParam> params) override {
    return pool_->run(connection_, std::string(sql), std::move(params));
  }

 private:
  SqlitePool* pool_;
  SqliteConnection* connection_;
};

}  // namespace

SqliteDatabase::SqliteDatabase(std::string path, std::size_t connections,
                               std::chrono::milliseconds busy_timeout) {
  create_parent_directories(path);
  const std::size_t count = connection_count(path, connections);
  pool_ =
      std::make_unique<SqlitePool>(SqliteConnectionOptions{std::move(path), busy_timeout}, count);
}

SqliteDatabase::~SqliteDatabase() = default;

const std::string& SqliteDatabase::path() const noexcept {
  return pool_->path();
}
std::size_t SqliteDatabase::connections() const noexcept {
  return pool_->size();
}

boost::asio::awaitable<Result<SqlResult>> SqliteDatabase::execute(std::string_view sql,
                                                                  std::vector<SqlParam> params) {
  std::string text(sql);
  auto lease = co_await pool_->acquire();
  if (!lease) co_return lease.take_error();
  co_return co_await pool_->run(lease->connection(), std::move(text), std::move(params));
}

boost::asio::awaitable<Result<void>> SqliteDatabase::execute_script(std::string_view sql) {
  std::string text(sql);
  auto lease = co_await pool_->acquire();
  if (!lease) co_return lease.take_error();
  co_return co_await pool_->run_script(lease->connection(), std::move(text));
}

boost::asio::awaitable<Result<void>> SqliteDatabase::transaction(TransactionWork work) {
  auto lease = co_await pool_->acquire();
  if (!lease) co_return lease.take_error();
  SqliteConnection* connection = lease->connection();

  // IMMEDIATE takes the write lock now (waiting up to the busy timeout), so a transaction never
  // fails half-way because another connection wrote first.
  auto begun = co_await pool_->run(connection, "BEGIN IMMEDIATE", {});
  if (!begun) co_return begun.take_error();

  SqliteSession session(pool_.get(), connection);
  Result<void> outcome = ok_result();
  std::exception_ptr failure;
  try {
    outcome = co_await work(session);
  } catch (...) {
    failure = std::current_exception();
  }
  if (failure || !outcome) {
    co_await pool_->rollback_if_open(connection);
    if (failure) std::rethrow_exception(failure);
    co_return outcome;
  }
  auto committed = co_await pool_->run(connection, "COMMIT", {});
  if (!committed) {
    co_await pool_->rollback_if_open(connection);
    co_return committed.take_error();
  }
  co_return ok_result();
}

}  // namespace authsvc::storage
