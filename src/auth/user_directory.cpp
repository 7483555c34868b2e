#include "auth/user_directory.hpp"

#include <algorithm>

#include "common/log.hpp"

namespace authsvc::auth {
namespace {

constexpr std::string_view kEveryone = "*";
constexpr std::size_t kMaxEntries = 100'000;

}  // namespace

std::string UserSnapshot::primary_role() const {
  if (std::find(roles.begin(), roles.end(), "admin") != roles.end()) return "admin";
  return roles.empty() ? std::string("user") : roles.front();
}

UserDirectory::UserDirectory(storage::UserRepository& users, storage::EphemeralStore& bus,
                             std::chrono::seconds max_age)
    : users_(users), bus_(bus), max_age_(max_age) {}

void UserDirectory::start() {
  bus_.subscribe(
      std::string(kChannel),
      [this](std::string_view message) {
        if (message == kEveryone) {
          forget_all();
        } else {
          forget(message);
        }
      },
      [this] { forget_all(); });
}

void UserDirectory::forget(std::string_view user_id) {
  const std::lock_guard lock(mutex_);
  ++generation_;
  cache_.erase(std::string(user_id));
}

void UserDirectory::forget_all() {
  const std::lock_guard lock(mutex_);
  ++generation_;
  cache_.clear();
}

boost::asio::awaitable<Result<std::optional<UserSnapshot>>> UserDirectory::get(
    std::string user_id) {
  const auto now = std::chrono::steady_clock::now();
  std::uint64_t generation = 0;
  {
    const std::lock_guard lock(mutex_);
    const auto it = cache_.find(user_id);
    if (it != cache_.end() && now - it->second.loaded < max_age_) co_return it->second.user;
    generation = generation_.load();
  }
  auto user = co_await users_.find_by_id(user_id);
  if (!user) co_return user.take_error();
  std::optional<UserSnapshot> snapshot;
  if (*user) {
    auto roles = co_await users_.role_names(user_id);
    if (!roles) co_return roles.take_error();
    snapshot = UserSnapshot{(*user)->id, (*user)->is_superuser, std::move(roles).value(),
                            (*user)->is_active, (*user)->tokens_valid_after};
  }
  {
    const std::lock_guard lock(mutex_);
    if (generation_.load() == generation) {
      if (cache_.size() >= kMaxEntries) cache_.clear();
      cache_[user_id] = Cached{snapshot, now};
    }
  }
  co_return snapshot;
}

boost::asio::awaitable<Result<void>> UserDirectory::cut_off_tokens(std::string user_id,
                                                                   TimePoint now) {
  auto stored = co_await users_.invalidate_tokens_before(user_id, now);
  if (!stored) co_return stored.take_error();
  auto published = co_await invalidate(std::move(user_id));
  if (!published) {
    // The cut-off is durable and this instance knows it; the others reload within max_age. The
    // credential event itself (a password already changed) must not turn into an error now.
    log_event(spdlog::level::warn, "could not announce a token cut-off to other instances",
              {{"error", boost::json::value(published.error().describe())}});
  }
  co_return ok_result();
}

boost::asio::awaitable<Result<void>> UserDirectory::invalidate(std::string user_id) {
  forget(user_id);
  co_return co_await bus_.publish(std::string(kChannel), std::move(user_id));
}

boost::asio::awaitable<Result<void>> UserDirectory::invalidate_all() {
  forget_all();
  co_return co_await bus_.publish(std::string(kChannel), std::string(kEveryone));
}

}  // namespace authsvc::auth
