#include "storage/memory_ephemeral_store.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <thread>

#include "fakes/fake_clock.hpp"
#include "support/async.hpp"

namespace authsvc::storage {
namespace {

using namespace std::chrono_literals;

class MemoryEphemeralStoreTest : public ::testing::Test {
 protected:
  template <class T>
  T run(boost::asio::awaitable<T> task) {
    return test::run_sync(io_, std::move(task));
  }
  boost::asio::io_context io_;
  MemoryEphemeralStore store_;
};

TEST_F(MemoryEphemeralStoreTest, PutGetManyAndExpiry) {
  ASSERT_TRUE(run(store_.put("a", "1", 10s)));
  ASSERT_TRUE(run(store_.put("short", "2", 1ms)));
  std::this_thread::sleep_for(5ms);
  std::vector<std::string> keys{"a", "missing", "short"};
  const auto values = run(store_.get_many(keys));
  ASSERT_TRUE(values);
  EXPECT_EQ((*values)[0], "1");
  EXPECT_EQ((*values)[1], std::nullopt);
  EXPECT_EQ((*values)[2], std::nullopt) << "expired";
}

TEST_F(MemoryEphemeralStoreTest, PutIfAbsentOnlyOnceUntilExpiry) {
  EXPECT_TRUE(*run(store_.put_if_absent("k", "first", 1h)));
  EXPECT_FALSE(*run(store_.put_if_absent("k", "second", 1h)));
  std::vector<std::string> keys{"k"};
  EXPECT_EQ((*run(store_.get_many(keys)))[0], "first");
  EXPECT_TRUE(*run(store_.put_if_absent("gone", "x", 1ms)));
  std::this_thread::sleep_for(5ms);
  EXPECT_TRUE(*run(store_.put_if_absent("gone", "y", 1h))) << "an expired key is absent";
}

TEST_F(MemoryEphemeralStoreTest, PublishReachesEverySubscriberOfTheChannel) {
  std::vector<std::string> seen;
  store_.subscribe("ch", [&](std::string_view m) { seen.emplace_back(m); }, {});
  store_.subscribe("ch", [&](std::string_view m) { seen.push_back("2:" + std::string(m)); }, {});
  store_.subscribe("other", [&](std::string_view) { seen.emplace_back("wrong"); }, {});
  ASSERT_TRUE(run(store_.publish("ch", "hello")));
  EXPECT_EQ(seen, (std::vector<std::string>{"hello", "2:hello"}));
}

TEST_F(MemoryEphemeralStoreTest, IncrementCountsWithinAWindowThenStartsOver) {
  auto first = run(store_.increment("c", 50ms));
  ASSERT_TRUE(first);
  EXPECT_EQ(first->count, 1);
  EXPECT_EQ(first->remaining, 50ms);
  auto second = run(store_.increment("c", 50ms));
  EXPECT_EQ(second->count, 2);
  EXPECT_LE(second->remaining, 50ms);
  std::this_thread::sleep_for(60ms);
  EXPECT_EQ(run(store_.increment("c", 50ms))->count, 1) << "a new window";
  ASSERT_TRUE(run(store_.remove("c")));
  EXPECT_EQ(run(store_.increment("c", 50ms))->count, 1) << "removed";
}

TEST_F(MemoryEphemeralStoreTest, ExpiredEntriesAreSwept) {
  for (int i = 0; i < 5000; ++i) ASSERT_TRUE(run(store_.put("k" + std::to_string(i), "v", 1ms)));
  std::this_thread::sleep_for(5ms);
  for (int i = 0; i < 5000; ++i) ASSERT_TRUE(run(store_.put("n" + std::to_string(i), "v", 1h)));
  EXPECT_LE(store_.size(), 5000U + 4096U);
}

TEST_F(MemoryEphemeralStoreTest, AFullStoreRefusesNewKeysWithOverloadUntilEntriesExpire) {
  test::FakeClock clock;
  MemoryEphemeralStore small(clock, 3);
  ASSERT_TRUE(run(small.put("a", "1", 1h)));
  ASSERT_TRUE(run(small.put("b", "1", 1h)));
  ASSERT_TRUE(run(small.put("brief", "1", 1s)));

  const auto refused = run(small.put("c", "1", 1h));
  ASSERT_FALSE(refused) << "the brief entry has not expired yet";
  EXPECT_TRUE(refused.error().is(InfraErrc::overloaded));
  const auto refused_marker = run(small.put_if_absent("d", "1", 1h));
  ASSERT_FALSE(refused_marker);
  EXPECT_TRUE(refused_marker.error().is(InfraErrc::overloaded));
  const auto refused_count = run(small.increment("e", 1h));
  ASSERT_FALSE(refused_count);
  EXPECT_TRUE(refused_count.error().is(InfraErrc::overloaded));

  EXPECT_TRUE(run(small.put("a", "2", 1h))) << "an existing key can still be overwritten";
  clock.advance(2s);
  EXPECT_TRUE(run(small.put("c", "1", 1h))) << "the sweep made room";
  EXPECT_EQ(small.size(), 3U);
}

}  // namespace
}  // namespace authsvc::storage
