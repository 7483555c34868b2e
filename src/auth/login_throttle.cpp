#include "auth/login_throttle.hpp"

#include <algorithm>
#include <array>

#include "common/log.hpp"
#include "crypto/sha256.hpp"

namespace authsvc::auth {
namespace {

std::int64_t count_of(const std::optional<std::string>& value) {
  if (!value) return 0;
  try {
    return std::stoll(*value);
  } catch (const std::exception&) {
    return 0;
  }
}

void warn_fallback(const Error& error) {
  log_event(spdlog::level::warn, "login failures counted in this process only",
            {{"error", boost::json::value(error.describe())}});
}

}  // namespace

std::string LoginThrottle::client_key(const std::string& account, const std::string& client) {
  return "auth:bf:c:" + crypto::sha256_hex(account + '\n' + client);
}

std::string LoginThrottle::account_key(const std::string& account) {
  return "auth:bf:a:" + crypto::sha256_hex(account);
}

std::chrono::milliseconds LoginThrottle::delay_after(std::int64_t client_failures) const {
  const std::int64_t free = options_.max_failures / 2;
  if (client_failures <= free || options_.delay_base.count() <= 0) {
    return std::chrono::milliseconds(0);
  }
  const auto doublings = std::min<std::int64_t>(client_failures - free - 1, 20);
  return std::min(options_.delay_max, options_.delay_base * (std::int64_t{1} << doublings));
}

boost::asio::awaitable<ThrottleDecision> LoginThrottle::check(std::string account,
                                                              std::string client) {
  std::vector<std::string> keys{client_key(account, client), account_key(account)};
  auto counts = co_await store_.get_many(keys);
  if (!counts) counts = co_await fallback_.get_many(std::move(keys));
  ThrottleDecision decision;
  if (!counts) co_return decision;  // the in-process store does not fail; nothing to go by
  const auto client_failures = count_of((*counts)[0]);
  const auto account_failures = count_of((*counts)[1]);
  if (client_failures >= options_.max_failures ||
      (account_failures >= options_.account_max_failures && client_failures > 0)) {
    decision.refused = options_.window;  // an upper bound: the window started at a failure
    co_return decision;
  }
  decision.delay = delay_after(client_failures);
  co_return decision;
}

boost::asio::awaitable<void> LoginThrottle::failed(std::string account, std::string client) {
  const auto window = std::chrono::duration_cast<std::chrono::milliseconds>(options_.window);
  std::array<std::string, 2> keys{client_key(account, client), account_key(account)};
  for (auto& key : keys) {
    auto counted = co_await store_.increment(key, window);
    if (!counted) {
      warn_fallback(counted.error());
      (void)co_await fallback_.increment(std::move(key), window);
    }
  }
}

boost::asio::awaitable<void> LoginThrottle::succeeded(std::string account, std::string client) {
  auto key = client_key(account, client);
  auto removed = co_await store_.remove(key);
  if (!removed) warn_fallback(removed.error());
  (void)co_await fallback_.remove(std::move(key));
}

}  // namespace authsvc::auth
