#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "storage/sql_database.hpp"

namespace authsvc::storage {

// One login (or OAuth login) of one device: the family of every token pair issued to it.
struct SessionRecord {
  std::string id;  // the `sid` claim
  std::string user_id;
  std::optional<std::string> user_agent;
  std::optional<std::string> ip;
  std::string provider;  // "password" or the OAuth provider
  TimePoint created_at{};
  TimePoint refreshed_at{};
  TimePoint expires_at{};  // the expiry of its newest refresh token
  std::optional<TimePoint> revoked_at;
  std::optional<std::string> refresh_jti;  // the one refresh token that may rotate now
  std::optional<std::string> previous_refresh_jti;
  std::optional<TimePoint> rotated_at;
};

// A session that was ended, with how long its tokens could still have lived.
struct EndedSession {
  std::string id;
  TimePoint expires_at{};
};

// Sessions and refresh rotation, over either SQL backend.
class SessionRepository {
 public:
  explicit SessionRepository(SqlDatabase& database) : database_(database) {}

  boost::asio::awaitable<Result<void>> open(SessionRecord session);
  boost::asio::awaitable<Result<std::optional<SessionRecord>>> find(std::string session_id);
  // Live (not revoked, not expired) sessions of a user, newest first.
  boost::asio::awaitable<Result<std::vector<SessionRecord>>> list_live(std::string user_id,
                                                                       TimePoint now);

  // The atomic first-use-wins step of refresh rotation: swaps refresh_jti from `old_jti` to
  // `new_jti` only if it is still `old_jti` and the session is live, and in the same transaction
  // records `revoked_access_jti` (the old pair's access token) as revoked until
  // `access_expires_at`. False when another request got there first, or the session ended.
  struct Rotation {
    std::string session_id;
    std::string old_jti;
    std::string new_jti;
    TimePoint now{};
    TimePoint new_expires_at{};
    std::optional<std::string> revoked_access_jti;
    TimePoint access_expires_at{};
  };
  boost::asio::awaitable<Result<bool>> rotate(Rotation rotation);

  // Ends one session (nullopt when it was not live); `user_id` guards against ending another
  // user's session when set.
  boost::asio::awaitable<Result<std::optional<EndedSession>>> end(
      std::string session_id, std::optional<std::string> user_id, std::string reason,
      TimePoint now);
  // Ends every live session of the user except `keep` (when set).
  boost::asio::awaitable<Result<std::vector<EndedSession>>> end_all(std::string user_id,
                                                                    std::optional<std::string> keep,
                                                                    std::string reason,
                                                                    TimePoint now);
  // Ends every live session of the user that was opened through `provider` (an unlinked one).
  boost::asio::awaitable<Result<std::vector<EndedSession>>> end_opened_by(std::string user_id,
                                                                          std::string provider,
                                                                          std::string reason,
                                                                          TimePoint now);
  // Ended sessions whose tokens may still be unexpired (to re-seed a flushed denylist).
  boost::asio::awaitable<Result<std::vector<EndedSession>>> ended_unexpired(TimePoint now);
  // Unexpired sessions ended at or after `since` (for reconciling the denylist).
  boost::asio::awaitable<Result<std::vector<EndedSession>>> ended_since(TimePoint since,
                                                                        TimePoint now);

 private:
  SqlDatabase& database_;
};

}  // namespace authsvc::storage
