// PostgresDatabase against the real PostgreSQL that scripts/services starts (TEST_DATABASE_URL).
// Each test uses tables of its own (random suffix), so suites may run in parallel.
#include "storage/postgres/postgres_database.hpp"

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <future>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/async.hpp"
#include "support/services.hpp"

namespace authsvc::storage {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// run_sync needs a default-constructible value; Result<SqlResult> is not one.
template <class T>
asio::awaitable<std::optional<T>> optional_of(asio::awaitable<T> task) {
  co_return co_await std::move(task);
}

template <class T>
T await_on(asio::io_context& io, asio::awaitable<T> task) {
  return std::move(*test::run_sync(io, optional_of(std::move(task))));
}

template <class T>
std::string describe(const Result<T>& result) {
  return result ? std::string("ok") : result.error().describe();
}

// g++ 12 rejects a braced list inside a co_await expression ("array used as initializer"), so
// coroutines build their parameters with this instead of {a, b}.
template <class... Args>
std::vector<SqlParam> params(Args&&... args) {
  std::vector<SqlParam> out;
  out.reserve(sizeof...(args));
  (out.emplace_back(std::forward<Args>(args)), ...);
  return out;
}

std::string unique_name(const std::string& prefix) {
  static std::mutex mutex;
  static std::mt19937_64 random{std::random_device{}()};
  std::lock_guard lock(mutex);
  return prefix + "_" + std::to_string(random() % 1'000'000'000'000ULL);
}

PostgresConfig config_for(std::string conninfo, std::size_t pool_size = 4) {
  PostgresConfig config;
  config.conninfo = std::move(conninfo);
  config.pool_size = pool_size;
  return config;
}

// The app's layout: the database runs on a dedicated single-threaded io_context; callers await it
// from their own io_contexts.
class BackendThread {
 public:
  BackendThread() : guard_(asio::make_work_guard(io_)), thread_([this] { run(); }) {}
  ~BackendThread() {
    guard_.reset();
    // Everything the database started must end by itself once it is closed.
    if (finished_.get_future().wait_for(10s) != std::future_status::ready) {
      ADD_FAILURE() << "the database left work running on its io_context";
      io_.stop();
    }
    thread_.join();
  }
  asio::any_io_executor executor() { return io_.get_executor(); }

 private:
  void run() {
    io_.run();
    finished_.set_value();
  }
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> guard_;
  std::promise<void> finished_;
  std::thread thread_;
};

asio::awaitable<void> sleep_for(std::chrono::milliseconds delay) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_after(delay);
  co_await timer.async_wait(asio::use_awaitable);
}

// Holds the pool's connection for `hold` inside a transaction.
asio::awaitable<Result<void>> hold_connection(PostgresDatabase* db,
                                              std::chrono::milliseconds hold) {
  const std::string sleep =
      "SELECT pg_sleep(" + std::to_string(static_cast<double>(hold.count()) / 1000.0) + ")";
  // Named first: g++ 12 destroys a lambda that captures by value twice when it is a temporary
  // inside a co_await expression.
  TransactionWork work = [sleep](SqlSession& session) -> asio::awaitable<Result<void>> {
    auto slept = co_await session.execute(sleep);
    if (!slept) co_return slept.take_error();
    co_return ok_result();
  };
  co_return co_await db->transaction(std::move(work));
}

unsigned short closed_port() {
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io,
                                   asio::ip::tcp::endpoint(asio::ip::address_v4::loopback(), 0));
  return acceptor.local_endpoint().port();
}

std::string conninfo_for_port(unsigned short port) {
  return "postgresql://postgres:authpw@127.0.0.1:" + std::to_string(port) + "/auth";
}

std::int64_t count_rows(asio::io_context& io, PostgresDatabase& db, const std::string& table) {
  auto counted = await_on(io, db.execute("SELECT count(*) FROM " + table));
  EXPECT_TRUE(counted) << describe(counted);
  return counted ? cell_as_int(counted->at(0, 0)) : -1;
}

TEST(PostgresDatabase, ConfigIsValidated) {
  asio::io_context io;
  PostgresConfig zero_pool = config_for("postgresql://127.0.0.1:1/x", 0);
  EXPECT_THROW(PostgresDatabase(io.get_executor(), zero_pool), std::invalid_argument);
  PostgresConfig zero_timeout = config_for("postgresql://127.0.0.1:1/x");
  zero_timeout.query_timeout = 0ms;
  EXPECT_THROW(PostgresDatabase(io.get_executor(), zero_timeout), std::invalid_argument);
  PostgresDatabase ok(io.get_executor(), config_for("postgresql://127.0.0.1:1/x"));
  EXPECT_EQ(ok.dialect(), SqlDialect::postgres);
}

TEST(PostgresDatabase, ParametersAndCellsRoundTripIncludingNullAndUnicode) {
  AUTH_REQUIRE_POSTGRES(url);
  asio::io_context io;  // outlives the backend: its last handlers still touch the caller's executor
  BackendThread backend;
  PostgresDatabase db(backend.executor(), config_for(url));
  const std::string table = unique_name("pg_params");
  ASSERT_TRUE(await_on(
      io, db.execute("CREATE TABLE " + table + " (id serial PRIMARY KEY, a text, b text, n int)")));

  const std::string unicode =
      "h\xC3\xA9llo w\xC3\xB6rld \xE2\x9C\x93 \xF0\x9F\x9A\x80 \xE6\x97\xA5\xE6\x9C\xAC";
  auto inserted = await_on(
      io,
      db.execute("INSERT INTO " + table + " (a, b, n) VALUES ($1, $2, $3) RETURNING id, a, b, n",
                 {unicode, std::nullopt, "42"}));
  ASSERT_TRUE(inserted) << describe(inserted);
  EXPECT_EQ(inserted->columns, (std::vector<std::string>{"id", "a", "b", "n"}));
  ASSERT_EQ(inserted->size(), 1u);
  EXPECT_EQ(inserted->affected_rows, 1);
  EXPECT_EQ(inserted->at(0, 1), unicode);
  EXPECT_EQ(inserted->at(0, 2), std::nullopt);
  EXPECT_EQ(inserted->at(0, 3), "42");

  // An empty string is not NULL, in either direction.
  auto empty = await_on(
      io, db.execute("INSERT INTO " + table + " (a, b) VALUES ($1, $2) RETURNING a, b IS NULL",
                     {std::string(), std::nullopt}));
  ASSERT_TRUE(empty) << describe(empty);
  EXPECT_EQ(empty->at(0, 0), std::string());
  EXPECT_EQ(empty->at(0, 1), "t");

  auto read = await_on(io, db.execute("SELECT a FROM " + table + " WHERE a = $1", {unicode}));
  ASSERT_TRUE(read) << describe(read);
  ASSERT_EQ(read->size(), 1u);
  EXPECT_EQ(read->at(0, 0), unicode);
  EXPECT_EQ(await_on(io, db.execute("SELECT octet_length($1::text)", {unicode}))->at(0, 0),
            std::to_string(unicode.size()));

  auto updated = await_on(io, db.execute("UPDATE " + table + " SET n = $1", {"7"}));
  ASSERT_TRUE(updated) << describe(updated);
  EXPECT_EQ(updated->affected_rows, 2);
  EXPECT_TRUE(updated->empty());

  auto none = await_on(io, db.execute("SELECT id, a FROM " + table + " WHERE id < 0"));
  ASSERT_TRUE(none) << describe(none);
  EXPECT_TRUE(none->empty());
  EXPECT_EQ(none->columns, (std::vector<std::string>{"id", "a"}));

  EXPECT_TRUE(await_on(io, db.execute("DROP TABLE " + table)));
}

TEST(PostgresDatabase, ServerErrorsAreMappedAndDetailed) {
  AUTH_REQUIRE_POSTGRES(url);
  asio::io_context io;  // outlives the backend: its last handlers still touch the caller's executor
  BackendThread backend;
  PostgresDatabase db(backend.executor(), config_for(url, 1));
  const std::string parent = unique_name("pg_parent");
  const std::string child = unique_name("pg_child");
  ASSERT_TRUE(await_on(io, db.execute_script("CREATE TABLE " + parent +
                                             " (id int PRIMARY KEY, email text UNIQUE);"
                                             "CREATE TABLE " +
                                             child + " (parent int REFERENCES " + parent +
                                             ", n int CHECK (n > 0), m int NOT NULL DEFAULT 0);")));
  ASSERT_TRUE(
      await_on(io, db.execute("INSERT INTO " + parent + " VALUES (1, $1)", {"a@example.com"})));

  auto duplicate =
      await_on(io, db.execute("INSERT INTO " + parent + " VALUES (2, $1)", {"a@example.com"}));
  ASSERT_FALSE(duplicate);
  EXPECT_TRUE(duplicate.error().is(DbErrc::unique_violation)) << describe(duplicate);
  EXPECT_NE(duplicate.error().detail.find("23505"), std::string::npos) << duplicate.error().detail;
  EXPECT_NE(duplicate.error().detail.find(parent + "_email_key"), std::string::npos)
      << duplicate.error().detail;

  auto orphan = await_on(io, db.execute("INSERT INTO " + child + " (parent, n) VALUES (99, 1)"));
  ASSERT_FALSE(orphan);
  EXPECT_TRUE(orphan.error().is(DbErrc::foreign_key_violation)) << describe(orphan);
  auto check = await_on(io, db.execute("INSERT INTO " + child + " (parent, n) VALUES (1, -1)"));
  ASSERT_FALSE(check);
  EXPECT_TRUE(check.error().is(DbErrc::constraint_violation)) << describe(check);
  auto not_null =
      await_on(io, db.execute("INSERT INTO " + child + " (parent, n, m) VALUES (1, 1, NULL)"));
  ASSERT_FALSE(not_null);
  EXPECT_TRUE(not_null.error().is(DbErrc::constraint_violation)) << describe(not_null);

  for (const char* sqlstate : {"40001", "40P01"}) {
    auto raised = await_on(
        io, db.execute(std::string("DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '") +
                       sqlstate + "'; END $$"));
    ASSERT_FALSE(raised);
    EXPECT_TRUE(raised.error().is(DbErrc::serialization_failure))
        << sqlstate << ": " << describe(raised);
  }

  auto syntax = await_on(io, db.execute("SELEKT 1"));
  ASSERT_FALSE(syntax);
  EXPECT_TRUE(syntax.error().is(DbErrc::query_failed)) << describe(syntax);
  EXPECT_NE(syntax.error().detail.find("42601"), std::string::npos) << syntax.error().detail;

  // Errors leave the one connection usable.
  auto after = await_on(io, db.execute("SELECT count(*) FROM " + parent));
  ASSERT_TRUE(after) << describe(after);
  EXPECT_EQ(after->at(0, 0), "1");
  EXPECT_TRUE(await_on(io, db.execute_script("DROP TABLE " + child + "; DROP TABLE " + parent)));
}

TEST(PostgresDatabase, TransactionCommitsOnOneConnectionInvisibleToOthersUntilCommit) {
  AUTH_REQUIRE_POSTGRES(url);
  asio::io_context io;  // outlives the backend: its last handlers still touch the caller's executor
  BackendThread backend;
  PostgresDatabase db(backend.executor(), config_for(url, 2));
  const std::string table = unique_name("pg_tx_commit");
  ASSERT_TRUE(await_on(io, db.execute("CREATE TABLE " + table + " (label text)")));

  std::optional<std::string> inside, outside;
  auto done =
      await_on(io, db.transaction([&](SqlSession& session) -> asio::awaitable<Result<void>> {
        const std::array<std::string, 2> labels{"one", "two"};
        for (const std::string& label : labels) {
          auto inserted =
              co_await session.execute("INSERT INTO " + table + " VALUES ($1)", params(label));
          if (!inserted) co_return inserted.take_error();
        }
        auto own = co_await session.execute("SELECT count(*) FROM " + table);
        auto other =
            co_await db.execute("SELECT count(*) FROM " + table);  // another pooled connection
        if (!own || !other) co_return Error(InfraErrc::internal, "count failed");
        inside = own->at(0, 0);
        outside = other->at(0, 0);
        co_return ok_result();
      }));
  ASSERT_TRUE(done) << describe(done);
  EXPECT_EQ(inside, "2");   // the session's statements share its connection
  EXPECT_EQ(outside, "0");  // and a transaction: nothing visible elsewhere before COMMIT
  EXPECT_EQ(count_rows(io, db, table), 2);
  EXPECT_TRUE(await_on(io, db.execute("DROP TABLE " + table)));
}

TEST(PostgresDatabase, TransactionRollsBackWhenWorkFailsOrSwallowsAnError) {
  AUTH_REQUIRE_POSTGRES(url);
  asio::io_context io;  // outlives the backend: its last handlers still touch the caller's executor
  BackendThread backend;
  PostgresDatabase db(backend.executor(),
                      config_for(url, 1));  // one connection: it must come back each time
  const std::string table = unique_name("pg_tx_rollback");
  ASSERT_TRUE(await_on(io, db.execute("CREATE TABLE " + table + " (label text UNIQUE)")));
  const std::string insert = "INSERT INTO " + table + " VALUES ($1)";

  // The work returns an error of its own: rolled back, that error returned.
  auto refused =
      await_on(io, db.transaction([&](SqlSession& session) -> asio::awaitable<Result<void>> {
        auto inserted = co_await session.execute(insert, params("kept?"));
        if (!inserted) co_return inserted.take_error();
        co_return Error(InfraErrc::overloaded, "changed my mind");
      }));
  ASSERT_FALSE(refused);
  EXPECT_TRUE(refused.error().is(InfraErrc::overloaded));
  EXPECT_EQ(refused.error().detail, "changed my mind");
  EXPECT_EQ(count_rows(io, db, table), 0);

  // A statement failed but the work returned success anyway: no COMMIT, the statement's error
  // returned.
  ASSERT_TRUE(await_on(io, db.execute(insert, {"taken"})));
  auto swallowed =
      await_on(io, db.transaction([&](SqlSession& session) -> asio::awaitable<Result<void>> {
        (void)co_await session.execute(insert, params("fresh"));
        (void)co_await session.execute(insert, params("taken"));  // unique violation, ignored
        co_return ok_result();
      }));
  ASSERT_FALSE(swallowed);
  EXPECT_TRUE(swallowed.error().is(DbErrc::unique_violation)) << describe(swallowed);
  EXPECT_EQ(count_rows(io, db, table), 1);

  // The work throws: the exception reaches the caller and the connection is not lost to the pool.
  EXPECT_THROW(
      await_on(io, db.transaction([&](SqlSession& session) -> asio::awaitable<Result<void>> {
        (void)co_await session.execute(insert, params("thrown"));
        throw std::runtime_error("bug in the work");
      })),
      std::runtime_error);
  EXPECT_EQ(count_rows(io, db, table), 1);
  EXPECT_TRUE(await_on(io, db.execute("DROP TABLE " + table)));
}

TEST(PostgresDatabase, FailedCommitIsReportedAndRolledBack) {
  AUTH_REQUIRE_POSTGRES(url);
  asio::io_context io;  // outlives the backend: its last handlers still touch the caller's executor
  BackendThread backend;
  PostgresDatabase db(backend.executor(), config_for(url, 1));
  const std::string table = unique_name("pg_tx_commit_fails");
  ASSERT_TRUE(await_on(io, db.execute("CREATE TABLE " + table +
                                      " (k int, UNIQUE (k) DEFERRABLE INITIALLY DEFERRED)")));
  auto committed =
      await_on(io, db.transaction([&](SqlSession& session) -> asio::awaitable<Result<void>> {
        for (int i = 0; i < 2; ++i) {  // both succeed: the check waits for COMMIT
          auto inserted = co_await session.execute("INSERT INTO " + table + " VALUES (1)");
          if (!inserted) co_return inserted.take_error();
        }
        co_return ok_result();
      }));
  ASSERT_FALSE(committed);
  EXPECT_TRUE(committed.error().is(DbErrc::unique_violation)) << describe(committed);
  EXPECT_EQ(count_rows(io, db, table), 0);
  EXPECT_TRUE(await_on(io, db.execute("DROP TABLE " + table)));
}

// One coroutine of the concurrency test: parameters by value, shared state by pointer.
struct Tally {
  std::mutex mutex;
  std::set<std::string> backend_pids;
  std::vector<std::string> failures;
  int succeeded = 0;
};

asio::awaitable<void> doubled(PostgresDatabase* db, int n, Tally* tally, std::thread::id caller) {
  auto result = co_await db->execute("SELECT pg_backend_pid(), $1::int * 2 FROM pg_sleep(0.02)",
                                     params(std::to_string(n)));
  const bool same_thread = std::this_thread::get_id() == caller;
  std::lock_guard lock(tally->mutex);
  if (!same_thread) tally->failures.push_back("resumed on another thread");
  if (!result) {
    tally->failures.push_back(result.error().describe());
  } else if (result->at(0, 1) != std::to_string(2 * n)) {
    tally->failures.push_back("wrong answer for " + std::to_string(n));
  } else {
    tally->backend_pids.insert(result->at(0, 0).value_or(""));
    ++tally->succeeded;
  }
}

TEST(PostgresDatabase, FiftyConcurrentStatementsFromTwoThreadsShareAPoolOfFour) {
  AUTH_REQUIRE_POSTGRES(url);
  std::array<asio::io_context, 2> callers;  // created before the backend, so they outlive it
  BackendThread backend;
  PostgresDatabase db(backend.executor(), config_for(url, 4));
  Tally tally;
  auto caller = [&](asio::io_context* io, int first) {
    for (int n = first; n < first + 25; ++n)
      asio::co_spawn(*io, doubled(&db, n, &tally, std::this_thread::get_id()), asio::detached);
    io->run_for(30s);
  };
  std::thread one(caller, &callers[0], 0);
  std::thread two(caller, &callers[1], 1000);
  one.join();
  two.join();
  EXPECT_TRUE(tally.failures.empty()) << tally.failures.front();
  EXPECT_EQ(tally.succeeded, 50);
  EXPECT_LE(tally.backend_pids.size(), 4u);  // never more connections than pool_size
  EXPECT_GE(tally.backend_pids.size(), 2u);  // and they did run side by side
}

TEST(PostgresDatabase, WorksWhenAwaitedOnItsOwnExecutor) {
  AUTH_REQUIRE_POSTGRES(url);
  asio::io_context io;
  PostgresDatabase db(io.get_executor(), config_for(url, 1));
  auto one = await_on(io, db.execute("SELECT 1"));
  ASSERT_TRUE(one) << describe(one);
  EXPECT_EQ(one->at(0, 0), "1");
  auto done = await_on(io, db.transaction([](SqlSession& session) -> asio::awaitable<Result<void>> {
    auto selected = co_await session.execute("SELECT 2");
    if (!selected) co_return selected.take_error();
    co_return ok_result();
  }));
  EXPECT_TRUE(done) << describe(done);
}

TEST(PostgresDatabase, StatementPastQueryTimeoutTimesOutIsCancelledAndThePoolRecovers) {
  AUTH_REQUIRE_POSTGRES(url);
  asio::io_context io;  // outlives the backend: its last handlers still touch the caller's executor
  BackendThread backend;
  PostgresConfig config = config_for(url, 2);
  config.query_timeout = 300ms;
  PostgresDatabase db(backend.executor(), config);
  const std::string marker = unique_name("sleepy");

  const auto start = Clock::now();
  auto slow = await_on(io, db.execute("SELECT pg_sleep(30) /* " + marker + " */"));
  const auto elapsed = Clock::now() - start;
  ASSERT_FALSE(slow);
  EXPECT_TRUE(slow.error().is(InfraErrc::timeout)) << describe(slow);
  EXPECT_GE(elapsed, 250ms);
  EXPECT_LT(elapsed, 3s);

  auto after = await_on(io, db.execute("SELECT 1"));
  ASSERT_TRUE(after) << describe(after);

  // The abandoned statement was cancelled on the server (it would sleep 30 s otherwise).
  std::string running = "?";
  for (const auto deadline = Clock::now() + 5s; Clock::now() < deadline;
       std::this_thread::sleep_for(100ms)) {
    auto active =
        await_on(io, db.execute("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
                                "AND pid <> pg_backend_pid() AND query LIKE $1",
                                {"%" + marker + "%"}));
    ASSERT_TRUE(active) << describe(active);
    running = active->at(0, 0).value_or("?");
    if (running == "0") break;
  }
  EXPECT_EQ(running, "0");

  // Inside a transaction too: the transaction reports the timeout, the pool carries on.
  auto tx = await_on(io, db.transaction([](SqlSession& session) -> asio::awaitable<Result<void>> {
    auto slept = co_await session.execute("SELECT pg_sleep(30)");
    if (!slept) co_return slept.take_error();
    co_return ok_result();
  }));
  ASSERT_FALSE(tx);
  EXPECT_TRUE(tx.error().is(InfraErrc::timeout)) << describe(tx);
  auto again = await_on(io, db.execute("SELECT 1"));
  EXPECT_TRUE(again) << describe(again);
}

TEST(PostgresDatabase, RefusedConnectionsFailFastAsUnavailable) {
  asio::io_context io;  // outlives the backend: its last handlers still touch the caller's executor
  BackendThread backend;
  PostgresConfig config = config_for(conninfo_for_port(closed_port()), 2);
  PostgresDatabase db(backend.executor(), config);  // connect_timeout: the default 3 s

  const auto start = Clock::now();
  auto refused = await_on(io, db.execute("SELECT 1"));
  EXPECT_LT(Clock::now() - start, 1s);
  ASSERT_FALSE(refused);
  EXPECT_TRUE(refused.error().is(InfraErrc::unavailable)) << describe(refused);

  // Many callers at once, more than the pool: all fail fast, nobody waits for acquire_timeout.
  std::vector<std::future<std::optional<Result<SqlResult>>>> calls;
  for (int i = 0; i < 10; ++i)
    calls.push_back(asio::co_spawn(io, optional_of(db.execute("SELECT 1")), asio::use_future));
  const auto many = Clock::now();
  io.restart();
  io.run_for(10s);
  EXPECT_LT(Clock::now() - many, 2s);
  for (auto& call : calls) {
    ASSERT_EQ(call.wait_for(0s), std::future_status::ready);
    auto result = *call.get();
    ASSERT_FALSE(result);
    EXPECT_TRUE(result.error().is(InfraErrc::unavailable)) << describe(result);
  }
  auto tx = await_on(io, db.transaction([](SqlSession&) -> asio::awaitable<Result<void>> {
    co_return ok_result();
  }));
  ASSERT_FALSE(tx);
  EXPECT_TRUE(tx.error().is(InfraErrc::unavailable)) << describe(tx);
}

TEST(PostgresDatabase, SilentServerFailsAsUnavailableWithinConnectTimeout) {
  asio::io_context io;  // outlives the backend: its last handlers still touch the caller's executor
  BackendThread backend;
  // Accepts TCP connections (the kernel does) but never says a word.
  asio::ip::tcp::acceptor silent(io, asio::ip::tcp::endpoint(asio::ip::address_v4::loopback(), 0));
  PostgresConfig config = config_for(conninfo_for_port(silent.local_endpoint().port()), 1);
  config.connect_timeout = 300ms;
  PostgresDatabase db(backend.executor(), config);
  const auto start = Clock::now();
  auto result = await_on(io, db.execute("SELECT 1"));
  const auto elapsed = Clock::now() - start;
  ASSERT_FALSE(result);
  EXPECT_TRUE(result.error().is(InfraErrc::unavailable)) << describe(result);
  EXPECT_GE(elapsed, 250ms);
  EXPECT_LT(elapsed, 1500ms);
}

TEST(PostgresDatabase, WaiterTimesOutWhenThePoolStaysBusy) {
  AUTH_REQUIRE_POSTGRES(url);
  asio::io_context io;  // outlives the backend: its last handlers still touch the caller's executor
  BackendThread backend;
  PostgresConfig config = config_for(url, 1);
  config.acquire_timeout = 200ms;
  PostgresDatabase db(backend.executor(), config);
  ASSERT_TRUE(await_on(io, db.execute("SELECT 1")));  // connect outside the timed part

  auto holder = asio::co_spawn(io, hold_connection(&db, 1000ms), asio::use_future);
  auto waiter = asio::co_spawn(
      io,
      [](PostgresDatabase* database)
          -> asio::awaitable<std::pair<std::optional<Result<SqlResult>>, Clock::duration>> {
        co_await sleep_for(100ms);
        const auto start = Clock::now();
        auto result = co_await database->execute("SELECT 1");
        co_return std::make_pair(std::optional<Result<SqlResult>>(std::move(result)),
                                 Clock::now() - start);
      }(&db),
      asio::use_future);
  io.restart();
  io.run_for(10s);
  ASSERT_EQ(waiter.wait_for(0s), std::future_status::ready);
  auto [result, waited] = waiter.get();
  ASSERT_FALSE(*result);
  EXPECT_TRUE(result->error().is(InfraErrc::timeout)) << describe(*result);
  EXPECT_GE(waited, 150ms);
  EXPECT_LT(waited, 800ms);
  ASSERT_EQ(holder.wait_for(0s), std::future_status::ready);
  auto held = holder.get();
  EXPECT_TRUE(held) << describe(held);
  EXPECT_TRUE(await_on(io, db.execute("SELECT 1")));  // the connection came back
}

asio::awaitable<void> insert_later(PostgresDatabase* db, std::string table, std::string label,
                                   std::chrono::milliseconds delay,
                                   std::vector<std::string>* failures) {
  co_await sleep_for(delay);
  auto inserted =
      co_await db->execute("INSERT INTO " + table + " (label) VALUES ($1)", params(label));
  if (!inserted) failures->push_back(label + ": " + inserted.error().describe());
}

TEST(PostgresDatabase, WaitersAreServedFirstComeFirstServed) {
  AUTH_REQUIRE_POSTGRES(url);
  asio::io_context io;  // outlives the backend: its last handlers still touch the caller's executor
  BackendThread backend;
  PostgresDatabase db(backend.executor(), config_for(url, 1));
  const std::string table = unique_name("pg_fifo");
  ASSERT_TRUE(
      await_on(io, db.execute("CREATE TABLE " + table + " (id serial PRIMARY KEY, label text)")));

  std::vector<std::string> failures;
  auto holder = asio::co_spawn(io, hold_connection(&db, 500ms), asio::use_future);
  for (int i = 0; i < 5; ++i) {
    asio::co_spawn(io,
                   insert_later(&db, table, std::string(1, static_cast<char>('a' + i)),
                                100ms + i * 40ms, &failures),
                   asio::detached);
  }
  io.restart();
  io.run_for(10s);
  EXPECT_TRUE(failures.empty()) << failures.front();
  EXPECT_TRUE(holder.get());
  auto order = await_on(io, db.execute("SELECT string_agg(label, '' ORDER BY id) FROM " + table));
  ASSERT_TRUE(order) << describe(order);
  EXPECT_EQ(order->at(0, 0), "abcde");
  EXPECT_TRUE(await_on(io, db.execute("DROP TABLE " + table)));
}

TEST(PostgresDatabase, ExecuteScriptRunsEveryStatementAndReportsTheFirstError) {
  AUTH_REQUIRE_POSTGRES(url);
  asio::io_context io;  // outlives the backend: its last handlers still touch the caller's executor
  BackendThread backend;
  PostgresDatabase db(backend.executor(), config_for(url, 1));
  const std::string table = unique_name("pg_script");
  auto created = await_on(io, db.execute_script("CREATE TABLE " + table +
                                                " (k int UNIQUE);\n"
                                                "INSERT INTO " +
                                                table +
                                                " VALUES (1);\n"
                                                "SELECT * FROM " +
                                                table +
                                                ";\n"
                                                "INSERT INTO " +
                                                table + " VALUES (2);"));
  ASSERT_TRUE(created) << describe(created);
  EXPECT_EQ(count_rows(io, db, table), 2);

  auto failed =
      await_on(io, db.execute_script("INSERT INTO " + table + " VALUES (3); INSERT INTO " + table +
                                     " VALUES (1); INSERT INTO " + table + " VALUES (4);"));
  ASSERT_FALSE(failed);
  EXPECT_TRUE(failed.error().is(DbErrc::unique_violation)) << describe(failed);
  EXPECT_EQ(count_rows(io, db, table), 2);  // one implicit transaction: all or nothing

  auto garbled = await_on(io, db.execute_script("INSERT INTO " + table + " VALUES (5); SELEKT;"));
  ASSERT_FALSE(garbled);
  EXPECT_TRUE(garbled.error().is(DbErrc::query_failed)) << describe(garbled);
  EXPECT_EQ(count_rows(io, db, table), 2);
  EXPECT_TRUE(await_on(io, db.execute("DROP TABLE " + table)));
}

TEST(PostgresDatabase, CloseFailsWaitersAndLaterCallsButLetsRunningStatementsFinish) {
  AUTH_REQUIRE_POSTGRES(url);
  asio::io_context io;  // outlives the backend: its last handlers still touch the caller's executor
  BackendThread backend;
  PostgresDatabase db(backend.executor(), config_for(url, 1));
  ASSERT_TRUE(await_on(io, db.execute("SELECT 1")));

  auto holder = asio::co_spawn(io, hold_connection(&db, 500ms), asio::use_future);
  auto waiter = asio::co_spawn(
      io,
      [](PostgresDatabase* database) -> asio::awaitable<std::optional<Result<SqlResult>>> {
        co_await sleep_for(100ms);
        co_return co_await database->execute("SELECT 1");
      }(&db),
      asio::use_future);
  auto closer = asio::co_spawn(
      io,
      [](PostgresDatabase* database) -> asio::awaitable<Clock::time_point> {
        co_await sleep_for(200ms);
        database->close();
        co_return Clock::now();
      }(&db),
      asio::use_future);
  io.restart();
  io.run_for(10s);
  auto waited = *waiter.get();
  ASSERT_FALSE(waited);
  EXPECT_TRUE(waited.error().is(InfraErrc::unavailable)) << describe(waited);
  (void)closer.get();
  auto held = holder.get();
  EXPECT_TRUE(held) << describe(held);  // the running transaction still committed
  auto later = await_on(io, db.execute("SELECT 1"));
  ASSERT_FALSE(later);
  EXPECT_TRUE(later.error().is(InfraErrc::unavailable)) << describe(later);
}

}  // namespace
}  // namespace authsvc::storage
