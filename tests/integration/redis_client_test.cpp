// RedisClient and RedisSubscriber against the real Redis that scripts/services starts
// (TEST_REDIS_URL). The clients run on a backend io_context thread, as in the application; the
// tests await them from another io_context, so every call also crosses executors.
#include "storage/redis/redis_client.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "storage/redis/redis_subscriber.hpp"
#include "support/async.hpp"
#include "support/services.hpp"

namespace authsvc::storage {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

// A single-threaded io_context on its own thread, like the application's backend thread.
class BackendThread {
 public:
  BackendThread() : thread_([this] { io_.run(); }) {}
  ~BackendThread() {
    guard_.reset();  // run() returns once the clients have shut down: nothing may linger
    thread_.join();
  }
  asio::any_io_executor executor() { return io_.get_executor(); }

 private:
  asio::io_context io_{1};
  asio::executor_work_guard<asio::io_context::executor_type> guard_ = asio::make_work_guard(io_);
  std::thread thread_;
};

std::string unique_prefix() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  return std::string("authsvc-test:") + info->test_suite_name() + "." + info->name() + ":" +
         std::to_string(::getpid()) + ":" +
         std::to_string(Clock::now().time_since_epoch().count()) + ":";
}

long long elapsed_ms(Clock::time_point since) {
  return std::chrono::duration_cast<milliseconds>(Clock::now() - since).count();
}

// A loopback port with nothing listening on it.
int closed_port() {
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();  // closed again when the acceptor goes
}

class RedisClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    AUTH_REQUIRE_REDIS(url);
    auto parsed = parse_redis_url(url);
    ASSERT_TRUE(parsed.ok()) << parsed.error().describe();
    config_ = parsed.value();
    prefix_ = unique_prefix();
  }

  std::unique_ptr<RedisClient> make_client(RedisConfig config) {
    return std::make_unique<RedisClient>(backend_.executor(), std::move(config));
  }

  Result<RedisReply> call(RedisClient& client, std::vector<std::string> args) {
    return test::run_sync(caller_, client.command(std::move(args)));
  }

  // A reply that must have arrived (not an Error).
  RedisReply reply(RedisClient& client, std::vector<std::string> args) {
    auto result = call(client, std::move(args));
    EXPECT_TRUE(result.ok()) << result.error().describe();
    return result.ok() ? std::move(result).value()
                       : RedisReply{RedisReply::Type::error, 0, "no reply", {}};
  }

  // The callers' io_contexts outlive the backend thread (joined first), which may still be
  // posting completions to them; the backend outlives the clients of each test body.
  asio::io_context caller_, other_, third_;
  BackendThread backend_;
  RedisConfig config_;
  std::string prefix_;
};

TEST_F(RedisClientTest, SetGetIncrDel) {
  auto client = make_client(config_);
  const std::string key = prefix_ + "k", counter = prefix_ + "n";

  const RedisReply set = reply(*client, {"SET", key, "hello", "EX", "60"});
  EXPECT_EQ(set.type, RedisReply::Type::status);
  EXPECT_EQ(set.str, "OK");

  const RedisReply get = reply(*client, {"GET", key});
  EXPECT_EQ(get.type, RedisReply::Type::string);
  EXPECT_EQ(get.str, "hello");

  for (long long expected = 1; expected <= 3; ++expected) {
    const RedisReply incr = reply(*client, {"INCR", counter});
    EXPECT_EQ(incr.type, RedisReply::Type::integer);
    EXPECT_EQ(incr.integer, expected);
  }

  const RedisReply del = reply(*client, {"DEL", key, counter});
  EXPECT_EQ(del.type, RedisReply::Type::integer);
  EXPECT_EQ(del.integer, 2);
  EXPECT_TRUE(reply(*client, {"GET", key}).is_nil());
  EXPECT_TRUE(client->connected());
}

TEST_F(RedisClientTest, MissingKeyIsNil) {
  auto client = make_client(config_);
  const RedisReply get = reply(*client, {"GET", prefix_ + "absent"});
  EXPECT_EQ(get.type, RedisReply::Type::nil);
  EXPECT_EQ(get.str, "");
}

TEST_F(RedisClientTest, BinaryKeysAndValuesWithNulBytes) {
  auto client = make_client(config_);
  const std::string key = prefix_ + std::string("bin\0key", 7);
  const std::string value("\0a\r\n\0\xff\x01 \"%s", 11);
  ASSERT_EQ(value.size(), 11u);
  EXPECT_EQ(reply(*client, {"SET", key, value, "EX", "60"}).str, "OK");
  const RedisReply get = reply(*client, {"GET", key});
  ASSERT_EQ(get.type, RedisReply::Type::string);
  EXPECT_EQ(get.str.size(), value.size());
  EXPECT_EQ(get.str, value);
  EXPECT_EQ(reply(*client, {"STRLEN", key}).integer, 11);
  // The key is distinct from its prefix before the NUL byte.
  EXPECT_TRUE(reply(*client, {"GET", prefix_ + "bin"}).is_nil());
  EXPECT_EQ(reply(*client, {"DEL", key}).integer, 1);
}

TEST_F(RedisClientTest, EvalReturnsNestedArray) {
  auto client = make_client(config_);
  const std::string key = prefix_ + "lua";
  const char* script =
      "redis.call('SET', KEYS[1], ARGV[1], 'EX', 60) "
      "return {1, redis.call('GET', KEYS[1]), {2, 'x'}, false, redis.status_reply('fine')}";
  const RedisReply result = reply(*client, {"EVAL", script, "1", key, std::string("v\0w", 3)});
  ASSERT_EQ(result.type, RedisReply::Type::array);
  ASSERT_EQ(result.elements.size(), 5u);
  EXPECT_EQ(result.elements[0].type, RedisReply::Type::integer);
  EXPECT_EQ(result.elements[0].integer, 1);
  EXPECT_EQ(result.elements[1].type, RedisReply::Type::string);
  EXPECT_EQ(result.elements[1].str, std::string("v\0w", 3));
  ASSERT_EQ(result.elements[2].type, RedisReply::Type::array);
  ASSERT_EQ(result.elements[2].elements.size(), 2u);
  EXPECT_EQ(result.elements[2].elements[0].integer, 2);
  EXPECT_EQ(result.elements[2].elements[1].str, "x");
  EXPECT_EQ(result.elements[3].type, RedisReply::Type::nil);
  EXPECT_EQ(result.elements[4].type, RedisReply::Type::status);
  EXPECT_EQ(result.elements[4].str, "fine");
  reply(*client, {"DEL", key});
}

TEST_F(RedisClientTest, ServerErrorIsAReplyNotAnError) {
  auto client = make_client(config_);
  const std::string key = prefix_ + "str";
  EXPECT_EQ(reply(*client, {"SET", key, "x", "EX", "60"}).str, "OK");

  auto wrongtype = call(*client, {"LPUSH", key, "y"});
  ASSERT_TRUE(wrongtype.ok()) << wrongtype.error().describe();
  EXPECT_EQ(wrongtype->type, RedisReply::Type::error);
  EXPECT_EQ(wrongtype->str.rfind("WRONGTYPE", 0), 0u) << wrongtype->str;

  const RedisReply unknown = reply(*client, {"NOSUCHCOMMAND", "a"});
  EXPECT_EQ(unknown.type, RedisReply::Type::error);
  EXPECT_NE(unknown.str.find("unknown command"), std::string::npos) << unknown.str;

  const RedisReply script_error =
      reply(*client, {"EVAL", "return redis.error_reply('BOOM nope')", "0"});
  EXPECT_EQ(script_error.type, RedisReply::Type::error);
  EXPECT_EQ(script_error.str, "BOOM nope");

  // The connection is still in step: the next reply belongs to the next command.
  EXPECT_EQ(reply(*client, {"GET", key}).str, "x");
  reply(*client, {"DEL", key});
}

TEST_F(RedisClientTest, ThousandConcurrentCommandsFromTwoIoContexts) {
  auto client = make_client(config_);
  const std::string counter = prefix_ + "counter";
  constexpr int kPerContext = 500;

  std::mutex mutex;
  std::vector<long long> increments;
  std::atomic<int> completed{0}, wrong{0}, wrong_thread{0};
  auto task = [&](asio::io_context& io, int i) -> asio::awaitable<void> {
    const std::string key = prefix_ + "k" + std::to_string(i);
    const std::string value = "value-" + std::to_string(i) + std::string(i % 7, '\0');
    auto set = co_await client->command("SET", key, value, "EX", "60");
    if (!io.get_executor().running_in_this_thread()) ++wrong_thread;
    auto get = co_await client->command("GET", key);
    if (!io.get_executor().running_in_this_thread()) ++wrong_thread;
    auto incr = co_await client->command("INCR", counter);
    if (!io.get_executor().running_in_this_thread()) ++wrong_thread;
    if (!set.ok() || !set->is_ok_status() || !get.ok() || get->str != value || !incr.ok() ||
        !incr->is_integer()) {
      ++wrong;
    } else {
      std::lock_guard lock(mutex);
      increments.push_back(incr->integer);
    }
    ++completed;
  };

  asio::io_context& first = other_;
  asio::io_context& second = third_;
  for (int i = 0; i < kPerContext; ++i) {
    asio::co_spawn(first, task(first, i), asio::detached);
    asio::co_spawn(second, task(second, kPerContext + i), asio::detached);
  }
  std::thread other([&] { second.run(); });
  first.run();
  other.join();

  EXPECT_EQ(completed.load(), 2 * kPerContext);
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(wrong_thread.load(), 0) << "a caller resumed outside its own io_context";
  std::sort(increments.begin(), increments.end());
  ASSERT_EQ(increments.size(), 2u * kPerContext);
  for (std::size_t i = 0; i < increments.size(); ++i)
    ASSERT_EQ(increments[i], static_cast<long long>(i) + 1);
  EXPECT_EQ(reply(*client, {"GET", counter}).str, std::to_string(2 * kPerContext));

  std::vector<std::string> del{"DEL", counter};
  for (int i = 0; i < 2 * kPerContext; ++i) del.push_back(prefix_ + "k" + std::to_string(i));
  EXPECT_EQ(reply(*client, del).integer, 2 * kPerContext + 1);
}

TEST_F(RedisClientTest, CommandTimeoutThenClientStillWorks) {
  RedisConfig config = config_;
  config.command_timeout = milliseconds(200);
  auto client = make_client(config);
  const RedisReply id_before = reply(*client, {"CLIENT", "ID"});

  const auto started = Clock::now();
  auto blocked = call(*client, {"BLPOP", prefix_ + "never", "2"});
  const auto took = elapsed_ms(started);
  ASSERT_FALSE(blocked.ok()) << "BLPOP answered: " << to_string(blocked->type);
  EXPECT_TRUE(blocked.error().is(InfraErrc::timeout)) << blocked.error().describe();
  EXPECT_GE(took, 150);
  EXPECT_LT(took, 1000);

  // Not stuck behind the blocked BLPOP: the replacement connection answers well before its 2 s
  // are over. On a loaded machine the reconnect itself may outlast the 200 ms command deadline,
  // so the first command is retried until then.
  const auto again = Clock::now();
  const std::string key = prefix_ + "after";
  Result<RedisReply> set = call(*client, {"SET", key, "ok", "EX", "60"});
  while (!set.ok() && elapsed_ms(again) < 1800) {
    std::this_thread::sleep_for(milliseconds(20));
    set = call(*client, {"SET", key, "ok", "EX", "60"});
  }
  ASSERT_TRUE(set.ok()) << set.error().describe();
  EXPECT_EQ(set->str, "OK");
  EXPECT_EQ(reply(*client, {"GET", key}).str, "ok");
  EXPECT_LT(elapsed_ms(again), 1800);
  // The silent connection was replaced, rather than left blocked.
  EXPECT_NE(reply(*client, {"CLIENT", "ID"}).integer, id_before.integer);
  reply(*client, {"DEL", key});
}

TEST_F(RedisClientTest, LateReplyAfterTimeoutIsDropped) {
  // A: a 400 ms script sent at t=0, answered at ~400 ms, within its 500 ms deadline.
  // B: the same, sent at t=200 ms: Redis runs it after A, so it answers at ~800 ms, after B's
  //    deadline (700 ms). A's reply arrived meanwhile, so the connection is alive and kept; B's
  //    late reply then arrives on it and must be dropped, not handed to the next command.
  RedisConfig config = config_;
  config.command_timeout = milliseconds(500);
  auto client = make_client(config);
  const RedisReply id_before = reply(*client, {"CLIENT", "ID"});
  ASSERT_TRUE(id_before.is_integer());

  const char* spin =
      "local t = redis.call('TIME') local start = t[1] * 1000000 + t[2] "
      "repeat local n = redis.call('TIME') until n[1] * 1000000 + n[2] - start >= "
      "tonumber(ARGV[1]) * 1000 "
      "return ARGV[2]";
  asio::io_context& io = other_;
  std::optional<Result<RedisReply>> a, b;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        a = co_await client->command("EVAL", spin, "0", "400", "A");
      },
      asio::detached);
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        asio::steady_timer pause(io, milliseconds(200));
        co_await pause.async_wait(asio::use_awaitable);
        b = co_await client->command("EVAL", spin, "0", "400", "late-B");
      },
      asio::detached);
  io.run();
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(a->ok()) << a->error().describe();
  EXPECT_EQ((*a)->str, "A");
  ASSERT_FALSE(b->ok()) << "B answered in time: " << (*b)->str;
  EXPECT_TRUE(b->error().is(InfraErrc::timeout)) << b->error().describe();

  std::this_thread::sleep_for(milliseconds(300));  // B's reply has come and gone by now
  EXPECT_EQ(reply(*client, {"ECHO", "C"}).str, "C");
  const RedisReply id_after = reply(*client, {"CLIENT", "ID"});
  EXPECT_EQ(id_after.integer, id_before.integer) << "a live connection was reset";
}

TEST_F(RedisClientTest, ClosedPortIsUnavailableQuickly) {
  RedisConfig config = config_;
  config.port = closed_port();
  config.connect_timeout = milliseconds(1000);
  config.command_timeout = milliseconds(5000);
  auto client = make_client(config);
  for (int attempt = 0; attempt < 3; ++attempt) {
    const auto started = Clock::now();
    auto result = call(*client, {"PING"});
    ASSERT_FALSE(result.ok());
    EXPECT_TRUE(result.error().is(InfraErrc::unavailable)) << result.error().describe();
    EXPECT_LT(elapsed_ms(started), 500) << "attempt " << attempt;
    EXPECT_NE(result.error().detail.find(std::to_string(config.port)), std::string::npos)
        << result.error().detail;
  }
  EXPECT_FALSE(client->connected());
}

TEST_F(RedisClientTest, SilentServerFailsAfterConnectTimeout) {
  // Accepts TCP connections (the kernel does, from the backlog) but never answers.
  asio::io_context io;
  asio::ip::tcp::acceptor silent(io, {asio::ip::make_address("127.0.0.1"), 0});
  RedisConfig config = config_;
  config.port = silent.local_endpoint().port();
  config.connect_timeout = milliseconds(300);
  config.command_timeout = milliseconds(5000);
  auto client = make_client(config);
  const auto started = Clock::now();
  auto result = call(*client, {"PING"});
  const auto took = elapsed_ms(started);
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.error().is(InfraErrc::unavailable)) << result.error().describe();
  EXPECT_NE(result.error().detail.find("connect timeout"), std::string::npos)
      << result.error().detail;
  EXPECT_GE(took, 250);
  EXPECT_LT(took, 1500);
  EXPECT_FALSE(client->connected());
}

TEST_F(RedisClientTest, SelectsTheConfiguredDatabase) {
  RedisConfig db3 = config_;
  db3.db = 3;
  auto in_db3 = make_client(db3);
  auto in_db0 = make_client(config_);
  const std::string key = prefix_ + "db";
  EXPECT_EQ(reply(*in_db3, {"SET", key, "three", "EX", "60"}).str, "OK");
  EXPECT_EQ(reply(*in_db3, {"GET", key}).str, "three");
  EXPECT_TRUE(reply(*in_db0, {"GET", key}).is_nil());
  EXPECT_EQ(reply(*in_db3, {"CLIENT", "INFO"}).str.find("db=3") != std::string::npos, true);
  reply(*in_db3, {"DEL", key});
}

TEST_F(RedisClientTest, SendsAuthWhenConfigured) {
  // Our test server has no password: the AUTH the client sends is refused, so the handshake
  // fails and commands report the server unavailable, naming the reason.
  RedisConfig config = config_;
  config.password = "not-the-password";
  auto client = make_client(config);
  auto result = call(*client, {"PING"});
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.error().is(InfraErrc::unavailable)) << result.error().describe();
  EXPECT_NE(result.error().detail.find("AUTH"), std::string::npos) << result.error().detail;
  EXPECT_EQ(result.error().detail.find("not-the-password"), std::string::npos);
  EXPECT_FALSE(client->connected());

  // With a user, the client sends AUTH <user> <password>: the server's default user is "nopass",
  // which accepts any password in that form (while the one-argument form above is refused).
  RedisConfig acl = config_;
  acl.user = "default";
  acl.password = "anything";
  auto acl_client = make_client(acl);
  const RedisReply pong = reply(*acl_client, {"PING"});
  EXPECT_EQ(pong.str, "PONG");
}

TEST_F(RedisClientTest, RefusesCommandsThatChangeTheSharedConnection) {
  auto client = make_client(config_);
  for (std::vector<std::string> args :
       std::vector<std::vector<std::string>>{{"SUBSCRIBE", "x"},
                                             {"select", "2"},
                                             {"MONITOR"},
                                             {"QUIT"},
                                             {"CLIENT", "REPLY", "OFF"},
                                             {}}) {
    auto result = call(*client, args);
    ASSERT_FALSE(result.ok()) << (args.empty() ? "<empty>" : args.front());
    EXPECT_TRUE(result.error().is(InfraErrc::internal)) << result.error().describe();
  }
  EXPECT_EQ(reply(*client, {"PING"}).str, "PONG");
}

TEST_F(RedisClientTest, CloseFailsPendingCommandsAndLaterOnes) {
  RedisConfig config = config_;
  config.command_timeout = milliseconds(5000);
  auto client = make_client(config);
  EXPECT_EQ(reply(*client, {"PING"}).str, "PONG");
  EXPECT_TRUE(client->connected());

  asio::io_context& io = other_;
  std::optional<Result<RedisReply>> pending;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        pending = co_await client->command("BLPOP", prefix_ + "q", "3");
      },
      asio::detached);
  const auto started = Clock::now();
  test::run_sync(io, [&]() -> asio::awaitable<int> {
    asio::steady_timer pause(io, milliseconds(100));
    co_await pause.async_wait(asio::use_awaitable);
    client->close();
    while (!pending) {
      asio::steady_timer tick(io, milliseconds(5));
      co_await tick.async_wait(asio::use_awaitable);
    }
    co_return 0;
  }());
  ASSERT_TRUE(pending.has_value());
  ASSERT_FALSE(pending->ok());
  EXPECT_TRUE(pending->error().is(InfraErrc::unavailable)) << pending->error().describe();
  EXPECT_LT(elapsed_ms(started), 1000);

  auto after = call(*client, {"PING"});
  ASSERT_FALSE(after.ok());
  EXPECT_TRUE(after.error().is(InfraErrc::unavailable));
  EXPECT_NE(after.error().detail.find("closed"), std::string::npos) << after.error().detail;
  EXPECT_FALSE(client->connected());
}

TEST_F(RedisClientTest, DestroyedWithCommandsInFlight) {
  // Under ASan/LSan: no use-after-free, no leak when the client goes away mid-pipeline.
  RedisConfig config = config_;
  config.command_timeout = milliseconds(5000);
  asio::io_context& io = other_;
  std::atomic<int> finished{0};
  {
    auto client = make_client(config);
    EXPECT_EQ(reply(*client, {"PING"}).str, "PONG");
    for (int i = 0; i < 50; ++i) {
      asio::co_spawn(
          io,
          [&finished, awaitable = client->command(
                          {"BLPOP", prefix_ + "none", "3"})]() mutable -> asio::awaitable<void> {
            auto result = co_await std::move(awaitable);
            if (!result.ok() && result.error().is(InfraErrc::unavailable)) ++finished;
          },
          asio::detached);
    }
    io.run_for(milliseconds(100));  // the BLPOPs are sent
  }
  io.restart();
  const auto started = Clock::now();
  while (finished.load() < 50 && elapsed_ms(started) < 2000) io.run_one_for(milliseconds(20));
  EXPECT_EQ(finished.load(), 50);
}

TEST_F(RedisClientTest, AwaitableFromTheClientsOwnExecutor) {
  asio::io_context io;
  auto client = std::make_unique<RedisClient>(io.get_executor(), config_);
  auto result = test::run_sync(io, client->command({"ECHO", "same-executor"}));
  ASSERT_TRUE(result.ok()) << result.error().describe();
  EXPECT_EQ(result->str, "same-executor");
  client.reset();
  io.restart();
  io.run();  // the close completes and nothing is left running
}

// --- RedisSubscriber ---

class RedisSubscriberTest : public RedisClientTest {
 protected:
  // Messages received on the backend thread.
  struct Inbox {
    std::mutex mutex;
    std::vector<std::string> messages;
    void add(std::string_view message) {
      std::lock_guard lock(mutex);
      messages.emplace_back(message);
    }
    std::vector<std::string> snapshot() {
      std::lock_guard lock(mutex);
      return messages;
    }
  };

  // PUBLISH until Redis counts a receiver (the SUBSCRIBE is confirmed), bounded by `limit`.
  long long publish_until_received(RedisClient& client, const std::string& channel,
                                   const std::string& message,
                                   milliseconds limit = milliseconds(5000)) {
    const auto started = Clock::now();
    for (;;) {
      auto result = call(client, {"PUBLISH", channel, message});
      if (result.ok() && result->is_integer() && result->integer > 0) return result->integer;
      if (elapsed_ms(started) > limit.count()) return 0;
      std::this_thread::sleep_for(milliseconds(20));
    }
  }

  static bool wait_for(const std::function<bool()>& condition,
                       milliseconds limit = milliseconds(5000)) {
    const auto started = Clock::now();
    while (!condition()) {
      if (elapsed_ms(started) > limit.count()) return false;
      std::this_thread::sleep_for(milliseconds(5));
    }
    return true;
  }
};

TEST_F(RedisSubscriberTest, ReceivesPublishedMessages) {
  auto publisher = make_client(config_);
  Inbox inbox, other;  // before the subscriber: outlives its handlers
  RedisSubscriber subscriber(backend_.executor(), config_);
  const std::string channel = prefix_ + "events";
  const std::string binary("rev\0oke", 7);
  subscriber.subscribe(channel, [&inbox](std::string_view message) { inbox.add(message); });
  subscriber.subscribe(prefix_ + "other",
                       [&other](std::string_view message) { other.add(message); });

  ASSERT_EQ(publish_until_received(*publisher, channel, "first"), 1);
  EXPECT_EQ(reply(*publisher, {"PUBLISH", channel, binary}).integer, 1);
  ASSERT_TRUE(wait_for([&] { return inbox.snapshot().size() >= 2; }));
  const auto messages = inbox.snapshot();
  EXPECT_EQ(messages.front(), "first");
  EXPECT_EQ(messages.back(), binary);
  EXPECT_TRUE(subscriber.connected());
  EXPECT_TRUE(other.snapshot().empty()) << "a message reached another channel's handler";
}

TEST_F(RedisSubscriberTest, SeveralHandlersAndUnsubscribe) {
  auto publisher = make_client(config_);
  Inbox first, second;
  RedisSubscriber subscriber(backend_.executor(), config_);
  const std::string channel = prefix_ + "fanout";
  subscriber.subscribe(channel, [&first](std::string_view message) { first.add(message); });
  subscriber.subscribe(channel, [&second](std::string_view message) { second.add(message); });
  ASSERT_EQ(publish_until_received(*publisher, channel, "m1"), 1);  // one connection, two handlers
  ASSERT_TRUE(
      wait_for([&] { return first.snapshot().size() == 1 && second.snapshot().size() == 1; }));

  subscriber.unsubscribe(channel);
  ASSERT_TRUE(wait_for([&] { return reply(*publisher, {"PUBLISH", channel, "m2"}).integer == 0; }));
  std::this_thread::sleep_for(milliseconds(50));
  EXPECT_EQ(first.snapshot().size() + second.snapshot().size(), 2u)
      << "delivered after unsubscribe";
}

TEST_F(RedisSubscriberTest, ClosedPortReportsNotConnected) {
  RedisConfig config = config_;
  config.port = closed_port();
  RedisSubscriber subscriber(backend_.executor(), config);
  subscriber.subscribe("whatever", [](std::string_view) {});
  std::this_thread::sleep_for(milliseconds(100));
  EXPECT_FALSE(subscriber.connected());
}

}  // namespace
}  // namespace authsvc::storage
