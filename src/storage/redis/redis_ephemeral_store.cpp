#include "storage/redis/redis_ephemeral_store.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <boost/asio/execution/context.hpp>
#include <boost/asio/query.hpp>
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

// INCR, a TTL on the first increment, and the TTL left: one atomic step on the server.
constexpr std::string_view kIncrementScript =
    "local count = redis.call('INCR', KEYS[1]) "
    "if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end "
    "local ttl = redis.call('PTTL', KEYS[1]) "
    "if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) ttl = tonumber(ARGV[1]) end "
    "return {count, ttl}";

// The SHA-1 hex digest Redis names a script by.
std::string script_sha1(std::string_view script) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(script.data(), script.size(), digest, &size, EVP_sha1(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < size; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xf];
  }
  return out;
}

}  // namespace

RedisEphemeralStore::RedisEphemeralStore(std::shared_ptr<RedisClient> client,
                                         std::shared_ptr<RedisSubscriber> subscriber,
                                         LocalClients local, std::string key_prefix)
    : client_(std::move(client)),
      local_(std::move(local)),
      prefix_(std::move(key_prefix)),
      subscriber_(std::move(subscriber)) {}

boost::asio::awaitable<RedisClient*> RedisEphemeralStore::client_for_caller() {
  // Compared by execution context, not by executor: a connection's executor may wrap its I/O
  // thread's (tracing::ContextExecutor), and is still served by that thread's client.
  const auto executor = co_await boost::asio::this_coro::executor;
  const auto& context = boost::asio::query(executor, boost::asio::execution::context);
  for (const auto& [bound, client] : local_) {
    if (&boost::asio::query(bound, boost::asio::execution::context) == &context) {
      co_return client.get();
    }
  }
  co_return client_.get();
}

boost::asio::awaitable<Result<std::vector<std::optional<std::string>>>>
RedisEphemeralStore::get_many(std::vector<std::string> keys) {
  const std::size_t count = keys.size();
  std::vector<std::string> args;
  args.reserve(count + 1);
  args.emplace_back("MGET");
  for (auto& key : keys) args.push_back(prefix_ + key);
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
  const std::string full_key = prefix_ + key;
  auto reply = co_await client->command("SET", full_key, value, "PX", millis);
  if (!reply) co_return reply.take_error();
  if (!reply->is_ok_status()) co_return unexpected(*reply);
  co_return ok_result();
}

boost::asio::awaitable<Result<bool>> RedisEphemeralStore::put_if_absent(
    std::string key, std::string value, std::chrono::milliseconds ttl) {
  const std::string millis = ttl_millis(ttl);
  auto* client = co_await client_for_caller();
  const std::string full_key = prefix_ + key;
  auto reply = co_await client->command("SET", full_key, value, "PX", millis, "NX");
  if (!reply) co_return reply.take_error();
  if (reply->is_nil()) co_return false;
  if (!reply->is_ok_status()) co_return unexpected(*reply);
  co_return true;
}

boost::asio::awaitable<Result<WindowCount>> RedisEphemeralStore::increment(
    std::string key, std::chrono::milliseconds window) {
  const std::string millis = ttl_millis(window);
  auto* client = co_await client_for_caller();
  const std::string full_key = prefix_ + key;
  // EVALSHA: Redis runs its cached copy without receiving and hashing the script on every call;
  // after a restart (NOSCRIPT) one EVAL loads it again.
  static const std::string sha = script_sha1(kIncrementScript);
  auto reply = co_await client->command("EVALSHA", sha, "1", full_key, millis);
  if (reply && reply->is_error() && reply->str.starts_with("NOSCRIPT")) {
    const std::string script(kIncrementScript);
    reply = co_await client->command("EVAL", script, "1", full_key, millis);
  }
  if (!reply) co_return reply.take_error();
  if (!reply->is_array() || reply->elements.size() != 2 || !reply->elements[0].is_integer() ||
      !reply->elements[1].is_integer()) {
    co_return unexpected(*reply);
  }
  co_return WindowCount{reply->elements[0].integer,
                        std::chrono::milliseconds(reply->elements[1].integer)};
}

boost::asio::awaitable<Result<void>> RedisEphemeralStore::remove(std::string key) {
  auto* client = co_await client_for_caller();
  const std::string full_key = prefix_ + key;
  auto reply = co_await client->command("DEL", full_key);
  if (!reply) co_return reply.take_error();
  if (!reply->is_integer()) co_return unexpected(*reply);
  co_return ok_result();
}

boost::asio::awaitable<Result<std::optional<std::string>>> RedisEphemeralStore::take(
    std::string key) {
  auto* client = co_await client_for_caller();
  const std::string full_key = prefix_ + key;
  auto reply = co_await client->command("GETDEL", full_key);
  if (!reply) co_return reply.take_error();
  if (reply->is_nil()) co_return std::optional<std::string>();
  if (!reply->is_string()) co_return unexpected(*reply);
  co_return std::optional<std::string>(std::move(reply->str));
}

boost::asio::awaitable<Result<void>> RedisEphemeralStore::publish(std::string channel,
                                                                  std::string message) {
  const std::string full_channel = prefix_ + channel;
  auto reply = co_await client_->command("PUBLISH", full_channel, message);
  if (!reply) co_return reply.take_error();
  if (!reply->is_integer()) co_return unexpected(*reply);
  co_return ok_result();
}

void RedisEphemeralStore::subscribe(std::string channel, MessageHandler on_message,
                                    std::function<void()> on_gap) {
  subscriber_->subscribe(prefix_ + channel, std::move(on_message));
  if (on_gap) subscriber_->on_resubscribed(std::move(on_gap));
}

}  // namespace authsvc::storage
