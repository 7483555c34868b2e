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

UserDirectory::UserDirectory(storage::UserRepository& users, storage::UserChangeRepository& changes,
                             storage::EphemeralStore& bus, const Clock& clock,
                             std::chrono::seconds max_age)
    : users_(users),
      changes_(changes),
      bus_(bus),
      clock_(clock),
      caught_up_(clock.now()),
      max_age_(max_age) {}

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
  co_return co_await invalidate(std::move(user_id));
}

boost::asio::awaitable<Result<void>> UserDirectory::invalidate(std::string user_id) {
  forget(user_id);
  co_return co_await record_and_publish(std::move(user_id));
}

boost::asio::awaitable<Result<void>> UserDirectory::invalidate_all() {
  forget_all();
  co_return co_await record_and_publish(std::string(kEveryone));
}

boost::asio::awaitable<Result<void>> UserDirectory::record_and_publish(std::string user_id) {
  // The record is what guarantees the change reaches every instance (catch_up); the message only
  // makes it immediate, so a failed publish is no error.
  auto recorded = co_await changes_.record(user_id, clock_.now());
  if (!recorded) co_return recorded.take_error();
  auto published = co_await bus_.publish(std::string(kChannel), std::move(user_id));
  if (!published) {
    log_event(spdlog::level::warn, "user change not published; other instances see it within 1 s",
              {{"error", boost::json::value(published.error().describe())}});
  }
  co_return ok_result();
}

boost::asio::awaitable<Result<void>> UserDirectory::catch_up() {
  // Overlap: a change's row may commit after a later one's (sequences and timestamps are taken
  // before commit), and instances' clocks differ by a little.
  constexpr auto kOverlap = std::chrono::seconds(3);
  const auto now = clock_.now();
  auto changed = co_await changes_.changed_since(caught_up_ - kOverlap);
  if (!changed) co_return changed.take_error();
  caught_up_ = now;
  for (const auto& user_id : *changed) {
    if (user_id == kEveryone) {
      forget_all();
      break;
    }
    forget(user_id);
  }
  co_return ok_result();
}

}  // namespace authsvc::auth
