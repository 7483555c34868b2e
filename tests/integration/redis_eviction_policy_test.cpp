// A Redis that may evict keys is refused at start-up (issue 13 item 1): an evicted denylist entry
// would be a revoked token accepted again. A Redis of its own, started here with each policy.
#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "app/application.hpp"
#include "support/services.hpp"
#include "support/test_app.hpp"

namespace authsvc::test {
namespace {

std::uint16_t free_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

// redis-server with the given policy on a free port, shut down at the end of the test.
class OwnRedis {
 public:
  explicit OwnRedis(const std::string& policy) : port_(free_port()) {
    const std::string command = "redis-server --bind 127.0.0.1 --port " + std::to_string(port_) +
                                " --daemonize yes --save '' --appendonly no --maxmemory 64mb" +
                                " --maxmemory-policy " + policy + " >/dev/null";
    started_ = std::system(command.c_str()) == 0;
    for (int i = 0; started_ && i < 100 && !ping(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  ~OwnRedis() {
    const std::string command =
        "redis-cli -p " + std::to_string(port_) + " shutdown nosave >/dev/null 2>&1";
    [[maybe_unused]] const int ignored = std::system(command.c_str());
  }
  OwnRedis(const OwnRedis&) = delete;
  OwnRedis& operator=(const OwnRedis&) = delete;

  bool ping() const {
    const std::string command =
        "redis-cli -p " + std::to_string(port_) + " ping 2>/dev/null | grep -q PONG";
    return std::system(command.c_str()) == 0;
  }
  std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_) + "/0"; }
  bool started() const { return started_; }

 private:
  std::uint16_t port_;
  bool started_ = false;
};

TEST(RedisEvictionPolicy, ARedisThatMayEvictIsRefusedAndOneThatNeverDoesIsUsed) {
  AUTH_REQUIRE_POSTGRES(pg);
  for (const std::string policy : {"allkeys-lru", "volatile-ttl"}) {
    const OwnRedis redis(policy);
    ASSERT_TRUE(redis.started() && redis.ping()) << policy;
    TempDir dir;
    app::Application app(production_test_config(dir, pg, redis.url()));
    const auto started = app.start();
    ASSERT_FALSE(started) << policy << " was accepted";
    EXPECT_NE(started.error().describe().find("noeviction"), std::string::npos)
        << started.error().describe();
    EXPECT_NE(started.error().describe().find(policy), std::string::npos);
    app.stop();
  }
  const OwnRedis redis("noeviction");
  ASSERT_TRUE(redis.started() && redis.ping());
  TempDir dir;
  TestApp app(production_test_config(dir, pg, redis.url()));
  EXPECT_GT(app.port(), 0);
}

}  // namespace
}  // namespace authsvc::test
