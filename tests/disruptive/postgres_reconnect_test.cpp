// PostgresDatabase across a restart of the real PostgreSQL (scripts/services restart-postgres).
// Disruptive: the suite runs alone (RUN_SERIAL), as every connection to the server is cut.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <future>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "storage/postgres/postgres_database.hpp"
#include "support/async.hpp"
#include "support/services.hpp"

namespace authsvc::storage {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

template <class T>
asio::awaitable<std::optional<T>> optional_of(asio::awaitable<T> task) {
  co_return co_await std::move(task);
}

template <class T>
T await_on(asio::io_context& io, asio::awaitable<T> task) {
  return std::move(*test::run_sync(io, optional_of(std::move(task)), std::chrono::seconds(60)));
}

template <class T>
std::string describe(const Result<T>& result) {
  return result ? std::string("ok") : result.error().describe();
}

std::string unique_name(const std::string& prefix) {
  static std::mt19937_64 random{std::random_device{}()};
  return prefix + "_" + std::to_string(random() % 1'000'000'000'000ULL);
}

class PostgresReconnectTest : public ::testing::Test {
 protected:
  void SetUp() override {
    AUTH_REQUIRE_POSTGRES(url);
    PostgresConfig config;
    config.conninfo = url;
    config.pool_size = 3;
    database_ = std::make_unique<PostgresDatabase>(backend_.get_executor(), config);
    backend_thread_ = std::thread([this] { backend_.run(); });
  }
  void TearDown() override {
    database_.reset();
    guard_.reset();
    if (backend_thread_.joinable()) backend_thread_.join();
  }
  PostgresDatabase& db() { return *database_; }

  // Backend pids of `n` statements run side by side, so the pool opens n connections.
  std::set<std::string> pids_of_concurrent_statements(int n) {
    std::vector<std::future<std::optional<Result<SqlResult>>>> calls;
    for (int i = 0; i < n; ++i) {
      calls.push_back(asio::co_spawn(
          io_, optional_of(db().execute("SELECT pg_backend_pid() FROM pg_sleep(0.2)")),
          asio::use_future));
    }
    io_.restart();
    io_.run_for(30s);
    std::set<std::string> pids;
    for (auto& call : calls) {
      EXPECT_EQ(call.wait_for(0s), std::future_status::ready);
      if (call.wait_for(0s) != std::future_status::ready) continue;
      auto result = *call.get();
      EXPECT_TRUE(result) << describe(result);
      if (result) pids.insert(result->at(0, 0).value_or(""));
    }
    return pids;
  }

  asio::io_context io_;
  asio::io_context backend_;
  asio::executor_work_guard<asio::io_context::executor_type> guard_ =
      asio::make_work_guard(backend_);
  std::thread backend_thread_;
  std::unique_ptr<PostgresDatabase> database_;
};

TEST_F(PostgresReconnectTest, StatementsSucceedRightAfterTheServerRestarted) {
  const std::set<std::string> before = pids_of_concurrent_statements(3);
  ASSERT_EQ(before.size(), 3u);  // three idle connections now sit in the pool

  test::services_command("restart-postgres");

  // The very first statement succeeds: dead idle connections are replaced, not handed out.
  auto first = await_on(io_, db().execute("SELECT pg_backend_pid()"));
  ASSERT_TRUE(first) << describe(first);
  EXPECT_EQ(before.count(first->at(0, 0).value_or("")), 0u);

  const std::string table = unique_name("pg_restart");
  auto script =
      await_on(io_, db().execute_script("CREATE TABLE " + table + " (k int); INSERT INTO " + table +
                                        " VALUES (1)"));
  EXPECT_TRUE(script) << describe(script);
  auto tx =
      await_on(io_, db().transaction([&](SqlSession& session) -> asio::awaitable<Result<void>> {
        auto inserted = co_await session.execute("INSERT INTO " + table + " VALUES (2)");
        if (!inserted) co_return inserted.take_error();
        co_return ok_result();
      }));
  EXPECT_TRUE(tx) << describe(tx);
  const std::set<std::string> after = pids_of_concurrent_statements(3);
  EXPECT_EQ(after.size(), 3u);
  for (const std::string& pid : after) EXPECT_EQ(before.count(pid), 0u) << pid;

  auto counted = await_on(io_, db().execute("SELECT count(*) FROM " + table));
  ASSERT_TRUE(counted) << describe(counted);
  EXPECT_EQ(counted->at(0, 0), "2");
  EXPECT_TRUE(await_on(io_, db().execute("DROP TABLE " + table)));
}

TEST_F(PostgresReconnectTest, RestartInsideATransactionFailsItWithoutRetryingItsStatements) {
  const std::string table = unique_name("pg_restart_tx");
  ASSERT_TRUE(await_on(io_, db().execute("CREATE TABLE " + table + " (k int)")));

  std::optional<Error> second_error;
  auto tx =
      await_on(io_, db().transaction([&](SqlSession& session) -> asio::awaitable<Result<void>> {
        auto first = co_await session.execute("INSERT INTO " + table + " VALUES (1)");
        if (!first) co_return first.take_error();
        test::services_command(
            "restart-postgres");  // blocks the database's thread meanwhile: fine in a test
        auto second = co_await session.execute("INSERT INTO " + table + " VALUES (2)");
        if (!second) {
          second_error = second.error();
          co_return second.take_error();
        }
        co_return ok_result();
      }));
  ASSERT_FALSE(tx);
  EXPECT_TRUE(tx.error().is(InfraErrc::unavailable)) << describe(tx);
  ASSERT_TRUE(second_error.has_value());
  EXPECT_TRUE(second_error->is(InfraErrc::unavailable)) << second_error->describe();

  auto counted = await_on(io_, db().execute("SELECT count(*) FROM " + table));
  ASSERT_TRUE(counted) << describe(counted);
  EXPECT_EQ(counted->at(0, 0), "0");  // nothing of the broken transaction, not even a retried half
  EXPECT_TRUE(await_on(io_, db().execute("DROP TABLE " + table)));
}

}  // namespace
}  // namespace authsvc::storage
