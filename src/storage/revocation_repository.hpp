#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "storage/sql_database.hpp"

namespace authsvc::storage {

struct RevokedToken {
  std::string jti;
  TimePoint expires_at{};
};

// How a token came to be recorded: when, and for a spent session-less refresh token, the session
// opened for its successor.
struct RevocationRecord {
  std::optional<std::string> session_id;
  TimePoint revoked_at{};
};

// The durable revocation record (table revoked_token, plus ended sessions): what the hot denylist
// is rebuilt from and what answers when Redis cannot. jtis and sids that are not UUIDs can never
// have been recorded (both columns are uuid in PostgreSQL), so they are answered without a query.
class RevocationRepository {
 public:
  explicit RevocationRepository(SqlDatabase& database) : database_(database) {}

  // Records the jti as revoked until expires_at; false when it already was (the first writer of a
  // jti wins, which also claims a session-less refresh token exactly once).
  boost::asio::awaitable<Result<bool>> add(std::string jti, std::optional<std::string> session_id,
                                           TimePoint expires_at, TimePoint now);
  boost::asio::awaitable<Result<std::optional<RevocationRecord>>> find(std::string jti);
  // True when the jti is recorded or the session has ended.
  boost::asio::awaitable<Result<bool>> is_revoked(std::string jti,
                                                  std::optional<std::string> session_id);
  boost::asio::awaitable<Result<std::vector<RevokedToken>>> unexpired(TimePoint now);
  // Unexpired tokens revoked at or after `since` (for reconciling the denylist).
  boost::asio::awaitable<Result<std::vector<RevokedToken>>> revoked_since(TimePoint since,
                                                                          TimePoint now);
  // Deletes records whose tokens have expired anyway; returns how many.
  boost::asio::awaitable<Result<std::int64_t>> purge_expired(TimePoint now);

 private:
  SqlDatabase& database_;
};

// Whether the denylist may lack a durable revocation, cluster-wide (table auth_denylist_state).
struct DenylistDoubt {
  std::int64_t raised = 0;   // bumped by every failed denylist write
  std::int64_t cleared = 0;  // the highest `raised` a complete rebuild has covered
  bool doubtful() const noexcept { return raised > cleared; }
};

class DenylistStateRepository {
 public:
  explicit DenylistStateRepository(SqlDatabase& database) : database_(database) {}

  boost::asio::awaitable<Result<DenylistDoubt>> read();
  boost::asio::awaitable<Result<void>> raise();
  // Records that a rebuild which began at doubt `raised` completed (never moves back).
  boost::asio::awaitable<Result<void>> clear(std::int64_t raised);

 private:
  SqlDatabase& database_;
};

// Security events (refresh-token reuse, sessions ended by force, ...).
class AuditRepository {
 public:
  explicit AuditRepository(SqlDatabase& database) : database_(database) {}
  boost::asio::awaitable<Result<void>> record(std::string kind, std::optional<std::string> user_id,
                                              std::optional<std::string> session_id,
                                              std::string detail, TimePoint now);

 private:
  SqlDatabase& database_;
};

}  // namespace authsvc::storage
