#include "storage/redis/redis_original_denylist.hpp"

#include "common/ids.hpp"

namespace authsvc::storage {
namespace {

// Keys looked at per SCAN step (a hint to the server).
constexpr std::string_view kScanCount = "500";

Error unusable(const RedisReply& reply) {
  if (reply.is_error()) return Error(InfraErrc::unavailable, "Redis answered " + reply.str);
  return Error(InfraErrc::internal,
               "unexpected Redis reply: " + std::string(to_string(reply.type)));
}

}  // namespace

boost::asio::awaitable<Result<bool>> RedisOriginalDenylist::contains(std::string jti) {
  auto reply = co_await client_->command("EXISTS", jti);
  if (!reply) co_return reply.take_error();
  if (!reply->is_integer()) co_return unusable(*reply);
  co_return reply->integer > 0;
}

boost::asio::awaitable<Result<OriginalDenylistPage>> RedisOriginalDenylist::scan(
    std::string cursor) {
  auto reply = co_await client_->command("SCAN", cursor, "COUNT", kScanCount);
  if (!reply) co_return reply.take_error();
  if (!reply->is_array() || reply->elements.size() != 2 || !reply->elements[0].is_string() ||
      !reply->elements[1].is_array()) {
    co_return unusable(*reply);
  }
  OriginalDenylistPage page;
  page.cursor = std::move(reply->elements[0].str);
  for (auto& key : reply->elements[1].elements) {
    if (!key.is_string() || !is_uuid(key.str)) continue;
    auto ttl = co_await client_->command("PTTL", key.str);
    if (!ttl) co_return ttl.take_error();
    if (!ttl->is_integer()) co_return unusable(*ttl);
    // -2: expired meanwhile; -1: no TTL (not the original's, which always sets one).
    if (ttl->integer < 0) continue;
    page.entries.push_back({std::move(key.str), std::chrono::milliseconds(ttl->integer)});
  }
  co_return page;
}

}  // namespace authsvc::storage
