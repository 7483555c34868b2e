#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "storage/ephemeral_store.hpp"
#include "storage/user_change_repository.hpp"
#include "storage/user_repository.hpp"

namespace authsvc::auth {

// What verify-jwt says about a user.
struct UserSnapshot {
  std::string id;
  bool is_superuser = false;
  std::vector<std::string> roles;  // sorted by name
  bool is_active = true;           // false: its tokens are refused (Authenticator)
  // Its session-less tokens (the original service's) issued before this are refused.
  std::optional<TimePoint> tokens_valid_after{};

  // SPEC 2: "admin" if held, else the first role by name, else "user".
  std::string primary_role() const;
};

// Users and their roles for the hot path (verify-jwt): served from memory, so the steady state
// costs no database round trip. Every change of a user or of roles calls invalidate(), which
// records the change in the database (auth_user_change) and publishes it to every instance
// (EphemeralStore pub/sub, at once). Pub/sub can lose a message (a failed publish, a subscriber
// that was disconnected or paused), so every instance also reads the recorded changes twice a
// second (catch_up()): a demoted admin loses access everywhere within a second whatever Redis
// does. An instance whose subscription dropped forgets everything. A generation counter keeps a
// read that raced an invalidation from caching what it read. Entries also expire after `max_age`.
// Thread-safe.
class UserDirectory {
 public:
  UserDirectory(storage::UserRepository& users, storage::UserChangeRepository& changes,
                storage::EphemeralStore& bus, const Clock& clock,
                std::chrono::seconds max_age = std::chrono::seconds(300));

  // Subscribes to invalidations; call once before serving.
  void start();

  // nullopt when the user does not exist.
  boost::asio::awaitable<Result<std::optional<UserSnapshot>>> get(std::string user_id);

  // After a change of this user (roles, superuser flag, deletion), on every instance.
  boost::asio::awaitable<Result<void>> invalidate(std::string user_id);
  // A credential event: the user's session-less tokens issued until now are refused everywhere.
  boost::asio::awaitable<Result<void>> cut_off_tokens(std::string user_id, TimePoint now);
  // After a change that touches many users (a role renamed or deleted).
  boost::asio::awaitable<Result<void>> invalidate_all();
  // Forgets the users whose changes were recorded since the last call (with an overlap that covers
  // transactions committing out of order and clock differences between instances). Call every
  // kCatchUpInterval.
  boost::asio::awaitable<Result<void>> catch_up();
  static constexpr auto kCatchUpInterval = std::chrono::milliseconds(500);

  static constexpr std::string_view kChannel = "auth:users:changed";

 private:
  struct Cached {
    std::optional<UserSnapshot> user;
    std::chrono::steady_clock::time_point loaded;
  };
  void forget(std::string_view user_id);
  void forget_all();

  boost::asio::awaitable<Result<void>> record_and_publish(std::string user_id);

  storage::UserRepository& users_;
  storage::UserChangeRepository& changes_;
  storage::EphemeralStore& bus_;
  const Clock& clock_;
  TimePoint caught_up_;  // the backend thread's (catch_up) only
  std::chrono::seconds max_age_;
  std::mutex mutex_;
  std::unordered_map<std::string, Cached> cache_;  // guarded by mutex_
  std::atomic<std::uint64_t> generation_{0};
};

}  // namespace authsvc::auth
