#include "storage/redis/redis_ephemeral_store.hpp"

#include <algorithm>
#include <boost/asio/this_coro.hpp>

namespace authsvc::storage {
namespace {

std::string ttl_millis(std::chrono::milliseconds ttl) {
  return std::to_string(std::max<std::int64_t>(1, ttl.count()));
}

Error unexpected(const RedisReply& reply) {
  return Error(InfraErrc::internal,
               "unexpected Redis reply: " + std::string(to_string(reply.type)) +
                   (reply.is_error() ? " " + reply.str : ""));
}

}  // namespace

RedisEphemeralStore::RedisEphemeralStore(std::shared_ptr<RedisClient> client,
                                         std::shared_ptr<RedisSubscriber> subscriber,
                                         LocalClients local)
    : client_(std::move(client)), local_(std::move(local)), subscriber_(std::move(subscriber)) {}

boost::asio::awaitable<RedisClient*> RedisEphemeralStore::client_for_caller() {
  const auto executor = co_await boost::asio::this_coro::executor;
  for (const auto& [bound, client] : local_) {
    if (bound == executor) co_return client.get();
  }
  co_return client_.get();
}

boost::asio::awaitable<Result<std::vector<std::optional<std::string>>>>
RedisEphemeralStore::get_many(std::vector<std::string> keys) {
  const std::size_t count = keys.size();
  std::vector<std::string> args;
  args.reserve(count + 1);
  args.emplace_back("MGET");
  for (auto& key : keys) args.push_back(std::move(key));
  auto* client = co_await client_for_caller();
  auto reply = co_await client->command(std::move(args));
  if (!reply) co_return reply.take_error();
  if (!reply->is_array() || reply->elements.size() != count) co_return unexpected(*reply);
  std::vector<std::optional<std::string>> values(count);
  for (std::size_t i = 0; i < count; ++i) {
    if (reply->elements[i].is_string()) values[i] = std::move(reply->elements[i].str);
  }
  co_return values;
}

boost::asio::awaitable<Result<void>> RedisEphemeralStore::put(std::string key, std::string value,
                                                              std::chrono::milliseconds ttl) {
  const std::string millis = ttl_millis(ttl);
  auto* client = co_await client_for_caller();
  auto reply = co_await client->command("SET", key, value, "PX", millis);
  if (!reply) co_return reply.take_error();
  if (!reply->is_ok_status()) co_return unexpected(*reply);
  co_return ok_result();
}

boost::asio::awaitable<Result<bool>> RedisEphemeralStore::put_if_absent(
    std::string key, std::string value, std::chrono::milliseconds ttl) {
  const std::string millis = ttl_millis(ttl);
  auto* client = co_await client_for_caller();
  auto reply = co_await client->command("SET", key, value, "PX", millis, "NX");
  if (!reply) co_return reply.take_error();
  if (reply->is_nil()) co_return false;
  if (!reply->is_ok_status()) co_return unexpected(*reply);
  co_return true;
}

boost::asio::awaitable<Result<void>> RedisEphemeralStore::publish(std::string channel,
                                                                  std::string message) {
  auto reply = co_await client_->command("PUBLISH", channel, message);
  if (!reply) co_return reply.take_error();
  if (!reply->is_integer()) co_return unexpected(*reply);
  co_return ok_result();
}

void RedisEphemeralStore::subscribe(std::string channel, MessageHandler on_message,
                                    std::function<void()> on_gap) {
  subscriber_->subscribe(std::move(channel), std::move(on_message));
  if (on_gap) subscriber_->on_resubscribed(std::move(on_gap));
}

}  // namespace authsvc::storage
