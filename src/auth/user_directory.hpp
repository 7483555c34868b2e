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
// costs no database round trip. Every change of a user or of roles calls invalidate(), which is
// published to every instance (EphemeralStore pub/sub); an instance that may have missed messages
// (its subscription dropped) forgets everything. A generation counter keeps a read that raced an
// invalidation from caching what it read. Entries also expire after `max_age`, a backstop only.
// Thread-safe.
class UserDirectory {
 public:
  UserDirectory(storage::UserRepository& users, storage::EphemeralStore& bus,
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

  static constexpr std::string_view kChannel = "auth:users:changed";

 private:
  struct Cached {
    std::optional<UserSnapshot> user;
    std::chrono::steady_clock::time_point loaded;
  };
  void forget(std::string_view user_id);
  void forget_all();

  storage::UserRepository& users_;
  storage::EphemeralStore& bus_;
  std::chrono::seconds max_age_;
  std::mutex mutex_;
  std::unordered_map<std::string, Cached> cache_;  // guarded by mutex_
  std::atomic<std::uint64_t> generation_{0};
};

}  // namespace authsvc::auth
