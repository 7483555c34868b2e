#include "storage/redis/redis_memory_policy.hpp"

namespace authsvc::storage {

std::string memory_policy_of(std::string_view info) {
  constexpr std::string_view kField = "maxmemory_policy:";
  std::size_t at = 0;
  while (at < info.size()) {
    const auto end = info.find('\n', at);
    auto line = info.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.starts_with(kField)) return std::string(line.substr(kField.size()));
    if (end == std::string_view::npos) break;
    at = end + 1;
  }
  return {};
}

boost::asio::awaitable<Result<std::string>> redis_memory_policy(RedisClient& client) {
  std::vector<std::string> command{"INFO", "memory"};
  auto reply = co_await client.command(std::move(command));
  if (!reply) co_return reply.take_error();
  if (!reply->is_string()) {
    co_return Error(InfraErrc::internal, "INFO memory: unexpected reply " + reply->str);
  }
  auto policy = memory_policy_of(reply->str);
  if (policy.empty()) co_return Error(InfraErrc::internal, "INFO memory has no maxmemory_policy");
  co_return policy;
}

}  // namespace authsvc::storage
