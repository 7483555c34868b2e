// PostgresDatabase when pooled connections die under it: a TCP proxy between the pool and the real
// PostgreSQL (TEST_DATABASE_URL) cuts connections on demand, so these tests disturb no other test.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <future>
#include <memory>
#include <optional>
#include <random>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "storage/postgres/postgres_database.hpp"
#include "support/async.hpp"
#include "support/services.hpp"

namespace authsvc::storage {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace std::chrono_literals;

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
  static std::mt19937_64 random{std::random_device{}()};
  return prefix + "_" + std::to_string(random() % 1'000'000'000'000ULL);
}

// Forwards TCP connections to PostgreSQL on a thread of its own; can cut them like a failing
// network.
class CuttingProxy {
 public:
  explicit CuttingProxy(tcp::endpoint upstream)
      : upstream_(std::move(upstream)),
        acceptor_(io_, tcp::endpoint(asio::ip::address_v4::loopback(), 0)) {
    asio::co_spawn(io_, accept_loop(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }
  ~CuttingProxy() {
    on_proxy_thread([this] {
      boost::system::error_code ignored;
      acceptor_.close(ignored);
      cut_everything();
    });
    thread_.join();
  }

  unsigned short port() const { return acceptor_.local_endpoint().port(); }
  int accepted() const { return accepted_.load(); }
  // The next `count` messages clients send are swallowed, and their connections cut (a connection's
  // first message is its startup packet: cutting it makes that connection attempt fail).
  void cut_next_requests(int count) { cuts_pending_ = count; }
  // Cuts every open connection now, without a word to either side.
  void cut_all() {
    on_proxy_thread([this] { cut_everything(); });
  }

 private:
  struct Link {
    explicit Link(tcp::socket accepted)
        : client(std::move(accepted)), server(client.get_executor()) {}
    void cut() {
      boost::system::error_code ignored;
      client.close(ignored);
      server.close(ignored);
    }
    tcp::socket client;
    tcp::socket server;
  };

  template <class F>
  void on_proxy_thread(F f) {
    std::promise<void> done;
    asio::post(io_, [&] {
      f();
      done.set_value();
    });
    done.get_future().wait();
  }

  void cut_everything() {
    for (auto& weak : links_)
      if (auto link = weak.lock()) link->cut();
    links_.clear();
  }

  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, client] = co_await acceptor_.async_accept(asio::as_tuple(asio::use_awaitable));
      if (ec) co_return;
      ++accepted_;
      auto link = std::make_shared<Link>(std::move(client));
      auto [connect_ec] =
          co_await link->server.async_connect(upstream_, asio::as_tuple(asio::use_awaitable));
      if (connect_ec) {
        link->cut();
        continue;
      }
      links_.push_back(link);
      asio::co_spawn(io_, pump(link, true), asio::detached);
      asio::co_spawn(io_, pump(link, false), asio::detached);
    }
  }

  asio::awaitable<void> pump(std::shared_ptr<Link> link, bool to_server) {
    tcp::socket& from = to_server ? link->client : link->server;
    tcp::socket& to = to_server ? link->server : link->client;
    std::array<char, 16384> buffer{};
    for (;;) {
      auto [read_ec, n] =
          co_await from.async_read_some(asio::buffer(buffer), asio::as_tuple(asio::use_awaitable));
      if (read_ec) break;
      if (to_server && cuts_pending_.load() > 0 && cuts_pending_.fetch_sub(1) > 0) break;
      auto [write_ec, written] = co_await asio::async_write(to, asio::buffer(buffer, n),
                                                            asio::as_tuple(asio::use_awaitable));
      if (write_ec) break;
    }
    link->cut();
  }

  tcp::endpoint upstream_;
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::vector<std::weak_ptr<Link>> links_;  // proxy thread only
  std::atomic<int> accepted_{0};
  std::atomic<int> cuts_pending_{0};
  std::thread thread_;
};

// Splits postgresql://user:pw@host:port/db into the server's endpoint and the same URL through
// `port`.
struct ProxiedUrl {
  tcp::endpoint upstream;
  std::string prefix, suffix;
  std::string through(unsigned short port) const {
    return prefix + "127.0.0.1:" + std::to_string(port) + suffix;
  }
};

std::optional<ProxiedUrl> split_url(const std::string& url) {
  static const std::regex pattern(
      R"(^(postgres(?:ql)?://[^@/]*@)(\d+\.\d+\.\d+\.\d+):(\d+)(/.*)?$)");
  std::smatch match;
  if (!std::regex_match(url, match, pattern)) return std::nullopt;
  return ProxiedUrl{tcp::endpoint(asio::ip::make_address(match[2].str()),
                                  static_cast<unsigned short>(std::stoi(match[3].str()))),
                    match[1].str(), match[4].str()};
}

class PostgresRetryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    AUTH_REQUIRE_POSTGRES(url);
    auto parts = split_url(url);
    if (!parts) GTEST_SKIP() << "TEST_DATABASE_URL is not postgresql://user:pw@<IPv4>:<port>/db";
    proxy_ = std::make_unique<CuttingProxy>(parts->upstream);
    PostgresConfig config;
    config.conninfo = parts->through(proxy_->port());
    config.pool_size = 1;  // every statement reuses the one connection
    config.connect_timeout = 2s;
    database_ = std::make_unique<PostgresDatabase>(backend_.get_executor(), config);
    backend_thread_ = std::thread([this] { backend_.run(); });
    table_ = unique_name("pg_retry");
    ASSERT_TRUE(await_on(io_, database_->execute("CREATE TABLE " + table_ + " (label text)")));
  }
  void TearDown() override {
    if (database_) (void)await_on(io_, database_->execute("DROP TABLE IF EXISTS " + table_));
    database_.reset();
    guard_.reset();
    if (backend_thread_.joinable()) backend_thread_.join();
    proxy_.reset();
  }

  PostgresDatabase& db() { return *database_; }
  std::int64_t rows() {
    auto counted = await_on(io_, db().execute("SELECT count(*) FROM " + table_));
    EXPECT_TRUE(counted) << describe(counted);
    return counted ? cell_as_int(counted->at(0, 0)) : -1;
  }
  std::string insert_sql() const { return "INSERT INTO " + table_ + " VALUES ($1)"; }

  asio::io_context io_;
  asio::io_context backend_;
  asio::executor_work_guard<asio::io_context::executor_type> guard_ =
      asio::make_work_guard(backend_);
  std::thread backend_thread_;
  std::unique_ptr<CuttingProxy> proxy_;
  std::unique_ptr<PostgresDatabase> database_;
  std::string table_;
};

TEST_F(PostgresRetryTest, ConnectionCutWhileIdleIsReplaced) {
  auto before = await_on(io_, db().execute("SELECT pg_backend_pid()"));
  ASSERT_TRUE(before) << describe(before);
  proxy_->cut_all();
  std::this_thread::sleep_for(50ms);
  auto after = await_on(io_, db().execute("SELECT pg_backend_pid()"));
  ASSERT_TRUE(after) << describe(after);
  EXPECT_NE(after->at(0, 0), before->at(0, 0));
  EXPECT_EQ(proxy_->accepted(), 2);
}

TEST_F(PostgresRetryTest, StatementOnADeadReusedConnectionIsRetriedOnceOnAFreshOne) {
  proxy_->cut_next_requests(1);  // the INSERT never reaches the server; its connection dies
  auto inserted = await_on(io_, db().execute(insert_sql(), {"once"}));
  ASSERT_TRUE(inserted) << describe(inserted);
  EXPECT_EQ(inserted->affected_rows, 1);
  EXPECT_EQ(proxy_->accepted(), 2);
  EXPECT_EQ(rows(), 1);
}

TEST_F(PostgresRetryTest, RetryHappensOnlyOnce) {
  proxy_->cut_next_requests(1000);  // the statement, then whatever the fresh connection sends
  auto inserted = await_on(io_, db().execute(insert_sql(), {"never"}));
  ASSERT_FALSE(inserted);
  EXPECT_TRUE(inserted.error().is(InfraErrc::unavailable)) << describe(inserted);
  // One fresh connection (libpq may itself try a second time without SSL), not a retry loop.
  EXPECT_GE(proxy_->accepted(), 2);
  EXPECT_LE(proxy_->accepted(), 3);
  proxy_->cut_next_requests(0);
  EXPECT_EQ(rows(), 0);  // and the pool reconnects afterwards
}

TEST_F(PostgresRetryTest, ScriptOnADeadReusedConnectionIsRetried) {
  proxy_->cut_next_requests(1);
  auto script =
      await_on(io_, db().execute_script("INSERT INTO " + table_ + " VALUES ('a'); INSERT INTO " +
                                        table_ + " VALUES ('b');"));
  ASSERT_TRUE(script) << describe(script);
  EXPECT_EQ(rows(), 2);
}

TEST_F(PostgresRetryTest, TransactionBeginIsRetriedButItsStatementsAreNot) {
  const std::string insert = insert_sql();
  proxy_->cut_next_requests(1);  // BEGIN fails: nothing ran yet, so the transaction starts over
  auto committed =
      await_on(io_, db().transaction([&](SqlSession& session) -> asio::awaitable<Result<void>> {
        auto inserted = co_await session.execute(insert, params("in tx"));
        if (!inserted) co_return inserted.take_error();
        co_return ok_result();
      }));
  ASSERT_TRUE(committed) << describe(committed);
  EXPECT_EQ(rows(), 1);

  // Mid-transaction a retry on another connection would run outside the transaction: it must fail.
  std::optional<Error> second_error;
  CuttingProxy* proxy = proxy_.get();
  auto failed =
      await_on(io_, db().transaction([&](SqlSession& session) -> asio::awaitable<Result<void>> {
        auto first = co_await session.execute(insert, params("first"));
        if (!first) co_return first.take_error();
        proxy->cut_next_requests(1);
        auto second = co_await session.execute(insert, params("second"));
        if (!second) {
          second_error = second.error();
          co_return second.take_error();
        }
        co_return ok_result();
      }));
  ASSERT_FALSE(failed);
  EXPECT_TRUE(failed.error().is(InfraErrc::unavailable)) << describe(failed);
  ASSERT_TRUE(second_error.has_value());
  EXPECT_TRUE(second_error->is(InfraErrc::unavailable)) << second_error->describe();
  EXPECT_EQ(rows(), 1);  // neither "first" nor "second" was committed
}

}  // namespace
}  // namespace authsvc::storage
