// Redis stopped and started again under live clients (scripts/services stop-redis / start-redis).
// These run alone (RUN_SERIAL): they would disturb every other test using Redis.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "storage/redis/redis_client.hpp"
#include "storage/redis/redis_subscriber.hpp"
#include "support/async.hpp"
#include "support/services.hpp"

namespace authsvc::storage {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

class BackendThread {
 public:
  BackendThread() : thread_([this] { io_.run(); }) {}
  ~BackendThread() {
    guard_.reset();
    thread_.join();
  }
  asio::any_io_executor executor() { return io_.get_executor(); }

 private:
  asio::io_context io_{1};
  asio::executor_work_guard<asio::io_context::executor_type> guard_ = asio::make_work_guard(io_);
  std::thread thread_;
};

long long elapsed_ms(Clock::time_point since) {
  return std::chrono::duration_cast<milliseconds>(Clock::now() - since).count();
}

class RedisReconnectTest : public ::testing::Test {
 protected:
  void SetUp() override {
    AUTH_REQUIRE_REDIS(url);
    // scripts/services finds its servers through SVC_DIR (default: ./build/services, relative to
    // the working directory, which under ctest is the test binary's folder).
    ::setenv("SVC_DIR", AUTH_SOURCE_DIR "/build/services", /*overwrite=*/0);
    auto parsed = parse_redis_url(url);
    ASSERT_TRUE(parsed.ok()) << parsed.error().describe();
    config_ = parsed.value();
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    prefix_ = std::string("authsvc-test:") + info->name() + ":" + std::to_string(::getpid()) + ":";
  }

  // Whatever happens in the test, Redis is running again afterwards.
  void TearDown() override {
    if (stopped_) services_command_checked("start-redis");
  }

  void stop_redis() {
    stopped_ = true;
    services_command_checked("stop-redis");
  }
  void start_redis() {
    services_command_checked("start-redis");
    stopped_ = false;
  }
  static void services_command_checked(const std::string& command) {
    ASSERT_NO_THROW(test::services_command(command)) << command;
  }

  Result<RedisReply> call(RedisClient& client, std::vector<std::string> args) {
    return test::run_sync(caller_, client.command(std::move(args)));
  }

  // Retries `args` until a reply arrives; returns how long that took, or -1 after `limit`.
  long long until_reply(RedisClient& client, std::vector<std::string> args, milliseconds limit) {
    const auto started = Clock::now();
    while (elapsed_ms(started) < limit.count()) {
      if (call(client, args).ok()) return elapsed_ms(started);
      std::this_thread::sleep_for(milliseconds(20));
    }
    return -1;
  }

  asio::io_context caller_, other_;  // outlive the backend thread, which posts completions to them
  BackendThread backend_;
  RedisConfig config_;
  std::string prefix_;
  bool stopped_ = false;
};

TEST_F(RedisReconnectTest, ClientFailsFastWhileRedisIsDownAndRecovers) {
  RedisConfig config = config_;
  config.connect_timeout = milliseconds(1000);
  config.command_timeout = milliseconds(5000);  // so a hang would show as slowness, not a timeout
  RedisClient client(backend_.executor(), config);
  const std::string key = prefix_ + "k";
  auto before = call(client, {"SET", key, "v", "EX", "60"});
  ASSERT_TRUE(before.ok()) << before.error().describe();
  ASSERT_TRUE(client.connected());

  stop_redis();
  long long total = 0;
  for (int i = 0; i < 10; ++i) {
    const auto started = Clock::now();
    auto result = call(client, {"GET", key});
    const auto took = elapsed_ms(started);
    total += took;
    ASSERT_FALSE(result.ok()) << "answered while Redis is stopped";
    EXPECT_TRUE(result.error().is(InfraErrc::unavailable)) << result.error().describe();
    EXPECT_LT(took, 1000 + 300) << "command " << i << " hung beyond connect_timeout";
    std::this_thread::sleep_for(milliseconds(100));  // across several reconnect attempts
  }
  // Between reconnect attempts commands fail at once rather than wait for the next attempt.
  EXPECT_LT(total, 1000) << "10 commands took " << total << " ms to fail";
  EXPECT_FALSE(client.connected());

  start_redis();
  const auto recovered_after = until_reply(client, {"PING"}, milliseconds(5000));
  ASSERT_GE(recovered_after, 0) << "the client did not recover after Redis came back";
  EXPECT_LT(recovered_after, 2500);  // backoff is capped at 1 s
  EXPECT_TRUE(client.connected());

  auto set = call(client, {"SET", key, "again", "EX", "60"});
  ASSERT_TRUE(set.ok()) << set.error().describe();
  EXPECT_TRUE(set->is_ok_status());
  auto get = call(client, {"GET", key});
  ASSERT_TRUE(get.ok()) << get.error().describe();
  EXPECT_EQ(get->str, "again");
  (void)call(client, {"DEL", key});
}

TEST_F(RedisReconnectTest, CommandsInFlightFailWhenRedisStops) {
  RedisConfig config = config_;
  config.command_timeout = milliseconds(10000);
  RedisClient client(backend_.executor(), config);
  ASSERT_TRUE(call(client, {"PING"}).ok());

  asio::io_context& io = other_;
  std::optional<Result<RedisReply>> blocked;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        blocked = co_await client.command("BLPOP", prefix_ + "q", "8");
      },
      asio::detached);
  io.run_for(milliseconds(100));  // sent and blocked in Redis
  ASSERT_FALSE(blocked.has_value());
  const auto started = Clock::now();
  stop_redis();
  io.restart();
  while (!blocked && elapsed_ms(started) < 5000) io.run_one_for(milliseconds(20));
  ASSERT_TRUE(blocked.has_value()) << "the pending command hung after Redis stopped";
  ASSERT_FALSE(blocked->ok());
  EXPECT_TRUE(blocked->error().is(InfraErrc::unavailable)) << blocked->error().describe();
  EXPECT_LT(elapsed_ms(started), 3000);
  start_redis();
  EXPECT_GE(until_reply(client, {"PING"}, milliseconds(5000)), 0);
}

TEST_F(RedisReconnectTest, SubscriberResubscribesAfterRestart) {
  RedisClient publisher(backend_.executor(), config_);
  std::mutex mutex;
  std::vector<std::string> received;
  std::atomic<int> resubscribed{0};
  RedisSubscriber subscriber(backend_.executor(), config_);
  const std::string channel = prefix_ + "revocations";
  subscriber.on_resubscribed([&resubscribed] { ++resubscribed; });
  subscriber.subscribe(channel, [&](std::string_view message) {
    std::lock_guard lock(mutex);
    received.emplace_back(message);
  });
  auto count = [&] {
    std::lock_guard lock(mutex);
    return received.size();
  };
  auto publish_until_received = [&](const std::string& message) {
    const auto started = Clock::now();
    while (elapsed_ms(started) < 8000) {
      auto result = call(publisher, {"PUBLISH", channel, message});
      if (result.ok() && result->is_integer() && result->integer == 1) return true;
      std::this_thread::sleep_for(milliseconds(20));
    }
    return false;
  };
  auto wait_count = [&](std::size_t n) {
    const auto started = Clock::now();
    while (count() < n && elapsed_ms(started) < 5000) std::this_thread::sleep_for(milliseconds(5));
    return count() >= n;
  };

  ASSERT_TRUE(publish_until_received("before"));
  ASSERT_TRUE(wait_count(1));
  EXPECT_EQ(resubscribed.load(), 0) << "the first subscription is not a resubscription";

  stop_redis();
  const auto down_started = Clock::now();
  while (subscriber.connected() && elapsed_ms(down_started) < 2000)
    std::this_thread::sleep_for(milliseconds(5));
  EXPECT_FALSE(subscriber.connected()) << "the subscriber did not notice Redis stopping";
  start_redis();

  ASSERT_TRUE(publish_until_received("after")) << "no subscriber after the restart";
  ASSERT_TRUE(wait_count(2));
  {
    std::lock_guard lock(mutex);
    EXPECT_EQ(received.front(), "before");
    EXPECT_EQ(received.back(), "after");
  }
  EXPECT_TRUE(subscriber.connected());
  const auto hook_started = Clock::now();
  while (resubscribed.load() == 0 && elapsed_ms(hook_started) < 2000)
    std::this_thread::sleep_for(milliseconds(5));
  EXPECT_EQ(resubscribed.load(), 1);
}

}  // namespace
}  // namespace authsvc::storage
