#pragma once

#include <memory>

#include "storage/original_denylist.hpp"
#include "storage/redis/redis_client.hpp"

namespace authsvc::storage {

// OriginalDenylist over a RedisClient connected to the original service's database (no key prefix:
// the original writes raw jtis). Error replies (READONLY, LOADING, ...) are outages.
class RedisOriginalDenylist final : public OriginalDenylist {
 public:
  explicit RedisOriginalDenylist(std::shared_ptr<RedisClient> client)
      : client_(std::move(client)) {}

  boost::asio::awaitable<Result<bool>> contains(std::string jti) override;
  boost::asio::awaitable<Result<OriginalDenylistPage>> scan(std::string cursor) override;

 private:
  std::shared_ptr<RedisClient> client_;
};

}  // namespace authsvc::storage
