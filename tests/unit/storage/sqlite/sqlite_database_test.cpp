#include "storage/sqlite/sqlite_database.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <filesystem>
#include <fstream>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "storage/sql_database.hpp"
#include "support/async.hpp"
#include "unit/storage/sqlite_temp_dir.hpp"

namespace authsvc::storage {
namespace {

namespace asio = boost::asio;
using asio::awaitable;
using namespace std::chrono_literals;

class SqliteDatabaseTest : public ::testing::Test {
 protected:
  Result<SqlResult> run(std::string sql, std::vector<SqlParam> params = {}) {
    return test::run_sync(io_, db_->execute(sql, std::move(params)));
  }
  void must(std::string sql, std::vector<SqlParam> params = {}) {
    auto r = run(sql, std::move(params));
    ASSERT_TRUE(r.ok()) << sql << ": " << r.error().describe();
  }
  std::int64_t count(const std::string& table) {
    auto r = run("SELECT count(*) FROM " + table);
    return r.ok() ? cell_as_int(r->at(0, 0)) : -1;
  }

  test::SqliteTempDir dir_;
  asio::io_context io_;
  std::unique_ptr<SqliteDatabase> db_ =
      std::make_unique<SqliteDatabase>(dir_.file("db/auth.sqlite"));
};

TEST_F(SqliteDatabaseTest, CreatesParentDirectoriesAndUsesWalWithForeignKeys) {
  auto mode = run("PRAGMA journal_mode");
  ASSERT_TRUE(mode.ok()) << mode.error().describe();
  EXPECT_EQ(mode->at(0, 0), "wal");
  EXPECT_TRUE(std::filesystem::exists(dir_.file("db/auth.sqlite")));
  auto fk = run("PRAGMA foreign_keys");
  ASSERT_TRUE(fk.ok());
  EXPECT_EQ(fk->at(0, 0), "1");
  auto sync = run("PRAGMA synchronous");
  ASSERT_TRUE(sync.ok());
  EXPECT_EQ(sync->at(0, 0), "1");  // NORMAL
  EXPECT_EQ(db_->dialect(), SqlDialect::sqlite);
  EXPECT_EQ(db_->connections(), 2u);
}

TEST_F(SqliteDatabaseTest, BindsNumberedPlaceholdersOutOfOrderAndIgnoresThemInLiterals) {
  auto r = run("SELECT $2 || '-' || $1 AS joined, '$1' AS literal, $1 AS again", {"a", "b"});
  ASSERT_TRUE(r.ok()) << r.error().describe();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ(r->columns, (std::vector<std::string>{"joined", "literal", "again"}));
  EXPECT_EQ(r->at(0, 0), "b-a");
  EXPECT_EQ(r->at(0, 1), "$1");
  EXPECT_EQ(r->at(0, 2), "a");
}

TEST_F(SqliteDatabaseTest, NullParametersAndCellsAndTextResults) {
  auto r = run("SELECT $1 IS NULL, $1, 42, -7, 1.5, $2", {std::nullopt, "x"});
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ(r->at(0, 0), "1");
  EXPECT_EQ(r->at(0, 1), std::nullopt);
  EXPECT_EQ(r->at(0, 2), "42");
  EXPECT_EQ(r->at(0, 3), "-7");
  EXPECT_EQ(r->at(0, 4), "1.5");
  EXPECT_EQ(r->at(0, 5), "x");
  EXPECT_EQ(cell_as_int(r->at(0, 2)), 42);
  EXPECT_TRUE(cell_as_bool(r->at(0, 0)));
}

TEST_F(SqliteDatabaseTest, TextParametersCoerceIntoStrictIntegerColumns) {
  must("CREATE TABLE n (k INTEGER PRIMARY KEY, flag INTEGER NOT NULL) STRICT");
  must("INSERT INTO n (k, flag) VALUES ($1, $2)", {"7", sql_bool(true)});
  auto r = run("SELECT k, flag FROM n WHERE k = $1 AND flag = $2 LIMIT $3", {"7", "1", "10"});
  ASSERT_TRUE(r.ok()) << r.error().describe();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ(r->at(0, 0), "7");
  auto bad = run("INSERT INTO n (k, flag) VALUES ($1, $2)", {"8", "true"});
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(bad.error().is(DbErrc::constraint_violation)) << bad.error().describe();
}

TEST_F(SqliteDatabaseTest, AffectedRows) {
  must("CREATE TABLE t (id TEXT PRIMARY KEY, v TEXT)");
  auto inserted = run("INSERT INTO t VALUES ('a', '1'), ('b', '1'), ('c', '2')");
  ASSERT_TRUE(inserted.ok());
  EXPECT_EQ(inserted->affected_rows, 3);
  auto updated = run("UPDATE t SET v = $1 WHERE v = $2", {"3", "1"});
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated->affected_rows, 2);
  auto none = run("UPDATE t SET v = '4' WHERE id = 'zzz'");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->affected_rows, 0);
  auto selected = run("SELECT id FROM t ORDER BY id");
  ASSERT_TRUE(selected.ok());
  EXPECT_EQ(selected->affected_rows, 3);
  auto returned = run("DELETE FROM t WHERE id = $1 RETURNING id", {"a"});
  ASSERT_TRUE(returned.ok()) << returned.error().describe();
  EXPECT_EQ(returned->at(0, 0), "a");
  EXPECT_EQ(returned->affected_rows, 1);
}

TEST_F(SqliteDatabaseTest, MapsConstraintErrors) {
  must("CREATE TABLE parent (id TEXT PRIMARY KEY, email TEXT UNIQUE)");
  must(
      "CREATE TABLE child (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL REFERENCES parent (id), "
      "n INTEGER CHECK (n > 0))");
  must("INSERT INTO parent VALUES ($1, $2)", {"p1", "a@x"});

  auto unique = run("INSERT INTO parent VALUES ($1, $2)", {"p2", "a@x"});
  ASSERT_FALSE(unique.ok());
  EXPECT_TRUE(unique.error().is(DbErrc::unique_violation)) << unique.error().describe();
  EXPECT_NE(unique.error().detail.find("UNIQUE"), std::string::npos);

  auto primary = run("INSERT INTO parent VALUES ($1, $2)", {"p1", "b@x"});
  ASSERT_FALSE(primary.ok());
  EXPECT_TRUE(primary.error().is(DbErrc::unique_violation)) << primary.error().describe();

  auto foreign = run("INSERT INTO child VALUES ('c1', 'nobody', 1)");
  ASSERT_FALSE(foreign.ok());
  EXPECT_TRUE(foreign.error().is(DbErrc::foreign_key_violation)) << foreign.error().describe();

  auto check = run("INSERT INTO child VALUES ('c1', 'p1', 0)");
  ASSERT_FALSE(check.ok());
  EXPECT_TRUE(check.error().is(DbErrc::constraint_violation)) << check.error().describe();

  auto not_null = run("INSERT INTO child VALUES ('c1', NULL, 1)");
  ASSERT_FALSE(not_null.ok());
  EXPECT_TRUE(not_null.error().is(DbErrc::constraint_violation));

  // The connection stays usable after errors.
  must("INSERT INTO child VALUES ('c1', 'p1', 1)");
  EXPECT_EQ(count("child"), 1);
}

TEST_F(SqliteDatabaseTest, RejectsBadStatements) {
  auto syntax = run("SELEC 1");
  ASSERT_FALSE(syntax.ok());
  EXPECT_TRUE(syntax.error().is(DbErrc::query_failed));
  auto missing = run("SELECT * FROM no_such_table");
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.error().is(DbErrc::query_failed));
  auto too_few = run("SELECT $1, $2", {"a"});
  ASSERT_FALSE(too_few.ok());
  EXPECT_TRUE(too_few.error().is(DbErrc::query_failed));
  auto too_many = run("SELECT $1", {"a", "b"});
  ASSERT_FALSE(too_many.ok());
  auto two = run("SELECT 1; SELECT 2");
  ASSERT_FALSE(two.ok());
  EXPECT_TRUE(two.error().is(DbErrc::query_failed));
  auto trailing = run("SELECT 1; -- done\n");
  EXPECT_TRUE(trailing.ok());
  auto empty = run("-- nothing");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST_F(SqliteDatabaseTest, TransactionCommitsOrRollsBack) {
  must("CREATE TABLE t (id TEXT PRIMARY KEY)");
  auto committed =
      test::run_sync(io_, db_->transaction([](SqlSession& s) -> awaitable<Result<void>> {
        std::vector<SqlParam> pa{"a"};
        auto a = co_await s.execute("INSERT INTO t VALUES ($1)", std::move(pa));
        if (!a) co_return a.take_error();
        std::vector<SqlParam> pb{"b"};
        auto b = co_await s.execute("INSERT INTO t VALUES ($1)", std::move(pb));
        if (!b) co_return b.take_error();
        co_return ok_result();
      }));
  ASSERT_TRUE(committed.ok()) << committed.error().describe();
  EXPECT_EQ(count("t"), 2);

  // Work that fails: everything it did is undone and its error returned.
  auto failed = test::run_sync(io_, db_->transaction([](SqlSession& s) -> awaitable<Result<void>> {
    std::vector<SqlParam> pc{"c"};
    auto c = co_await s.execute("INSERT INTO t VALUES ($1)", std::move(pc));
    if (!c) co_return c.take_error();
    std::vector<SqlParam> pa{"a"};
    auto dup = co_await s.execute("INSERT INTO t VALUES ($1)", std::move(pa));
    if (!dup) co_return dup.take_error();
    co_return ok_result();
  }));
  ASSERT_FALSE(failed.ok());
  EXPECT_TRUE(failed.error().is(DbErrc::unique_violation));
  EXPECT_EQ(count("t"), 2);

  // Work that returns an error of its own after successful statements.
  auto refused = test::run_sync(io_, db_->transaction([](SqlSession& s) -> awaitable<Result<void>> {
    std::vector<SqlParam> pd{"d"};
    auto d = co_await s.execute("INSERT INTO t VALUES ($1)", std::move(pd));
    if (!d) co_return d.take_error();
    co_return Error(InfraErrc::internal, "changed my mind");
  }));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().detail, "changed my mind");
  EXPECT_EQ(count("t"), 2);

  // Work that throws: rolled back, the exception reaches the caller.
  EXPECT_THROW(test::run_sync(io_, db_->transaction([](SqlSession& s) -> awaitable<Result<void>> {
                 std::vector<SqlParam> pe{"e"};
                 auto e = co_await s.execute("INSERT INTO t VALUES ($1)", std::move(pe));
                 if (!e) co_return e.take_error();
                 throw std::runtime_error("boom");
               })),
               std::runtime_error);
  EXPECT_EQ(count("t"), 2);

  // The connections are all back in the pool and none is left inside a transaction.
  for (int i = 0; i < 4; ++i) must("INSERT INTO t VALUES ($1)", {"x" + std::to_string(i)});
  EXPECT_EQ(count("t"), 6);
}

TEST_F(SqliteDatabaseTest, ExecuteScriptRunsSeveralStatements) {
  auto done = test::run_sync(io_, db_->execute_script(R"(
      CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT);
      CREATE TABLE log (v TEXT);
      CREATE TRIGGER a_log AFTER INSERT ON a BEGIN INSERT INTO log VALUES (NEW.v); END;
      INSERT INTO a (v) VALUES ('x'), ('y');  -- comment with $1 and ;
  )"));
  ASSERT_TRUE(done.ok()) << done.error().describe();
  EXPECT_EQ(count("log"), 2);
  auto broken = test::run_sync(io_, db_->execute_script("INSERT INTO a (v) VALUES ('z'); BOGUS;"));
  ASSERT_FALSE(broken.ok());
  EXPECT_TRUE(broken.error().is(DbErrc::query_failed));
}

TEST_F(SqliteDatabaseTest, TransactionsSerialiseWriters) {
  must("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)");
  must("INSERT INTO counter VALUES (1, 0)");
  constexpr int kIncrements = 40;
  std::vector<std::future<Result<void>>> pending;
  for (int i = 0; i < kIncrements; ++i) {
    pending.push_back(
        asio::co_spawn(io_, db_->transaction([](SqlSession& s) -> awaitable<Result<void>> {
          auto read = co_await s.execute("SELECT n FROM counter WHERE id = 1");
          if (!read) co_return read.take_error();
          const auto next = std::to_string(cell_as_int(read->at(0, 0)) + 1);
          std::vector<SqlParam> params{next};
          auto written =
              co_await s.execute("UPDATE counter SET n = $1 WHERE id = 1", std::move(params));
          if (!written) co_return written.take_error();
          co_return ok_result();
        }),
                       asio::use_future));
  }
  io_.restart();
  io_.run();
  for (auto& f : pending) {
    auto r = f.get();
    EXPECT_TRUE(r.ok()) << r.error().describe();
  }
  auto r = run("SELECT n FROM counter");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->at(0, 0), std::to_string(kIncrements));
}

// 100 statements in flight from two io_contexts on their own threads: every one succeeds and
// resumes on the thread of the io_context that awaited it.
TEST_F(SqliteDatabaseTest, ConcurrentStatementsFromTwoIoContextsResumeOnTheirOwnThreads) {
  must("CREATE TABLE hits (id TEXT PRIMARY KEY, source TEXT NOT NULL)");
  std::atomic<int> wrong_thread{0};
  std::atomic<int> failures{0};
  auto one = [&](std::string id, std::string source) -> awaitable<void> {
    const auto thread = std::this_thread::get_id();
    std::vector<SqlParam> row{id, source};
    auto inserted =
        co_await db_->execute("INSERT INTO hits (id, source) VALUES ($1, $2)", std::move(row));
    if (std::this_thread::get_id() != thread) ++wrong_thread;
    if (!inserted) ++failures;
    std::vector<SqlParam> key{id};
    auto read = co_await db_->execute("SELECT source FROM hits WHERE id = $1", std::move(key));
    if (std::this_thread::get_id() != thread) ++wrong_thread;
    if (!read || read->size() != 1 || read->at(0, 0) != source) ++failures;
  };
  asio::io_context first;
  asio::io_context second;
  std::vector<std::future<void>> done;
  for (int i = 0; i < 50; ++i) {
    done.push_back(asio::co_spawn(first, one("a" + std::to_string(i), "first"), asio::use_future));
    done.push_back(
        asio::co_spawn(second, one("b" + std::to_string(i), "second"), asio::use_future));
  }
  std::thread t1([&] { first.run(); });
  std::thread t2([&] { second.run(); });
  t1.join();
  t2.join();
  for (auto& f : done) f.get();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(wrong_thread.load(), 0);
  EXPECT_EQ(count("hits"), 100);
}

TEST_F(SqliteDatabaseTest, LockHeldElsewhereTimesOut) {
  db_ = std::make_unique<SqliteDatabase>(dir_.file("locked.sqlite"), 2, 100ms);
  must("CREATE TABLE t (id TEXT PRIMARY KEY)");
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(dir_.file("locked.sqlite").c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE; INSERT INTO t VALUES ('held');", nullptr, nullptr,
                         nullptr),
            SQLITE_OK);
  auto write = run("INSERT INTO t VALUES ($1)", {"mine"});
  ASSERT_FALSE(write.ok());
  EXPECT_TRUE(write.error().is(InfraErrc::timeout)) << write.error().describe();
  auto tx = test::run_sync(
      io_, db_->transaction([](SqlSession&) -> awaitable<Result<void>> { co_return ok_result(); }));
  ASSERT_FALSE(tx.ok());
  EXPECT_TRUE(tx.error().is(InfraErrc::timeout));
  // Readers are not blocked by the writer (WAL).
  EXPECT_EQ(count("t"), 0);
  sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  must("INSERT INTO t VALUES ($1)", {"mine"});
  EXPECT_EQ(count("t"), 2);
}

TEST_F(SqliteDatabaseTest, UnopenableFileIsUnavailable) {
  std::ofstream(dir_.file("plain-file")) << "x";
  db_ = std::make_unique<SqliteDatabase>(dir_.file("plain-file/sub/db.sqlite"));
  auto r = run("SELECT 1");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(InfraErrc::unavailable)) << r.error().describe();
  auto script = test::run_sync(io_, db_->execute_script("SELECT 1"));
  ASSERT_FALSE(script.ok());
  EXPECT_TRUE(script.error().is(InfraErrc::unavailable));

  std::ofstream(dir_.file("not-a-db.sqlite")) << std::string(4096, 'x');
  db_ = std::make_unique<SqliteDatabase>(dir_.file("not-a-db.sqlite"));
  auto garbage = run("SELECT 1");
  ASSERT_FALSE(garbage.ok());
  EXPECT_TRUE(garbage.error().is(InfraErrc::unavailable)) << garbage.error().describe();
}

TEST(SqliteMemoryDatabase, UsesOneConnectionToOneDatabase) {
  asio::io_context io;
  SqliteDatabase db(":memory:", 4);
  EXPECT_EQ(db.connections(), 1u);
  ASSERT_TRUE(test::run_sync(io, db.execute("CREATE TABLE t (v TEXT)")).ok());
  ASSERT_TRUE(test::run_sync(io, db.execute("INSERT INTO t VALUES ($1)", {"x"})).ok());
  auto r = test::run_sync(io, db.execute("SELECT v FROM t"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->at(0, 0), "x");
}

TEST(SqliteDatabaseShutdown, DestroyingTheDatabaseWaitsForStatementsInFlight) {
  test::SqliteTempDir dir;
  asio::io_context io;
  auto db = std::make_unique<SqliteDatabase>(dir.file("s.sqlite"));
  ASSERT_TRUE(test::run_sync(io, db->execute("CREATE TABLE t (v TEXT)")).ok());
  std::vector<std::future<Result<SqlResult>>> pending;
  for (int i = 0; i < 10; ++i) {
    pending.push_back(
        asio::co_spawn(io, db->execute("INSERT INTO t VALUES ('x')"), asio::use_future));
  }
  io.restart();  // run_sync may have left it stopped
  io.run();
  for (auto& f : pending) EXPECT_TRUE(f.get().ok());
  db.reset();
  SUCCEED();
}

}  // namespace
}  // namespace authsvc::storage
