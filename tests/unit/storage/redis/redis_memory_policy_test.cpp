#include "storage/redis/redis_memory_policy.hpp"

#include <gtest/gtest.h>

namespace authsvc::storage {
namespace {

TEST(RedisMemoryPolicy, ReadFromInfoMemory) {
  EXPECT_EQ(memory_policy_of("# Memory\r\nused_memory:1000\r\nmaxmemory_policy:noeviction\r\n"
                             "allocator_frag_ratio:1.0\r\n"),
            "noeviction");
  EXPECT_EQ(memory_policy_of("maxmemory_policy:allkeys-lru"), "allkeys-lru");
  EXPECT_EQ(memory_policy_of("# Memory\r\nused_memory:1000\r\n"), "");
  EXPECT_EQ(memory_policy_of("x_maxmemory_policy:volatile-lru\r\n"), "");
}

}  // namespace
}  // namespace authsvc::storage
