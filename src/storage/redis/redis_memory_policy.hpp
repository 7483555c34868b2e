#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "storage/redis/redis_client.hpp"

namespace authsvc::storage {

// Redis's maxmemory-policy, from `INFO memory` (which managed services that rename CONFIG still
// answer).
boost::asio::awaitable<Result<std::string>> redis_memory_policy(RedisClient& client);

// The `maxmemory_policy:` field of an `INFO memory` answer; empty when it has none.
std::string memory_policy_of(std::string_view info);

}  // namespace authsvc::storage
