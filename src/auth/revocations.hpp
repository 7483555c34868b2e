#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "storage/ephemeral_store.hpp"
#include "storage/revocation_repository.hpp"
#include "storage/session_repository.hpp"

namespace authsvc::auth {

// The revocation check and the denylist (SPEC 4).
//
// The hot denylist lives in the EphemeralStore (Redis, shared by every instance, so a revocation
// is seen everywhere at once; in-process in embedded mode) with one key per revoked jti and per
// ended session, each expiring with the tokens it covers. The durable record is the database
// (revoked_token, auth_session.revoked_at): every revocation is written there first.
//
// One check is one MGET of {jti key, sid key, seed marker}. The marker is written after the
// denylist was (re)built from the database; its absence means Redis lost its data (a flush or a
// restart without persistence), so the answer comes from the database and the denylist is rebuilt.
// Fail closed: when the store cannot answer the database does; when neither can, an error (503),
// never "not revoked".
class Revocations {
 public:
  // `leeway`: the verifier's clock leeway (JWT_LEEWAY_SECONDS); a token is accepted until exp plus
  // leeway, so its revocation lasts that long too.
  Revocations(storage::EphemeralStore& store, storage::RevocationRepository& durable,
              storage::SessionRepository& sessions, storage::DenylistStateRepository& state,
              const Clock& clock, std::chrono::seconds leeway = std::chrono::seconds(0))
      : store_(store),
        durable_(durable),
        sessions_(sessions),
        state_(state),
        clock_(clock),
        leeway_(leeway) {}

  // Until when a revocation of a token expiring at `expires_at` must last.
  TimePoint covered_until(TimePoint expires_at) const { return expires_at + leeway_; }

  // Copies every unexpired durable revocation into the store, then sets the marker, unless a
  // denylist write failed anywhere (the durable doubt was raised) while it copied.
  boost::asio::awaitable<Result<void>> seed();
  // Twice a second (maintenance): when the durable doubt says the denylist may lack a revocation
  // (a write failed on any instance, before or after a restart), stops trusting the marker and
  // rebuilds; every kReconcileEvery, also copies the durable revocations recorded since its
  // previous round into the denylist (a write that failed on an instance that died before it could
  // raise the doubt).
  boost::asio::awaitable<Result<void>> reconcile();
  static constexpr auto kReconcileEvery = std::chrono::seconds(10);
  // Watches for Redis connection gaps (a restart, a failover to a replica that may be behind):
  // after one, the marker is withdrawn so that every instance asks the database until the
  // denylist is rebuilt. Call once before serving.
  void start();

  boost::asio::awaitable<Result<bool>> is_revoked(std::string jti,
                                                  std::optional<std::string> session_id);

  // Durable record, then the denylist. An error means the revocation may not be visible yet: the
  // caller answers 503 and the client retries (revoking twice is harmless).
  boost::asio::awaitable<Result<void>> revoke_token(std::string jti,
                                                    std::optional<std::string> session_id,
                                                    TimePoint expires_at);
  // Denylists a session that SessionRepository has already ended in the database.
  boost::asio::awaitable<Result<void>> deny_session(std::string session_id, TimePoint expires_at);
  // Denylists a token already recorded in the database (by a rotation's transaction).
  boost::asio::awaitable<Result<void>> deny_token(std::string jti, TimePoint expires_at);

  static std::string token_key(std::string_view jti);
  static std::string session_key(std::string_view session_id);
  static constexpr std::string_view kSeedMarker = "auth:rv:seeded";
  static constexpr std::string_view kEventsChannel = "auth:rv:events";

 private:
  boost::asio::awaitable<Result<void>> deny(std::string key, TimePoint expires_at);
  boost::asio::awaitable<Result<void>> copy_recent(TimePoint since);
  void rebuild_in_background(boost::asio::any_io_executor executor);

  storage::EphemeralStore& store_;
  storage::RevocationRepository& durable_;
  storage::SessionRepository& sessions_;
  storage::DenylistStateRepository& state_;
  const Clock& clock_;
  std::chrono::seconds leeway_;
  std::atomic<bool> reseeding_{false};
  // Set when the denylist may lack a revocation the database has (a denylist write failed, or the
  // connection had a gap); the next check withdraws the marker.
  std::atomic<bool> marker_stale_{false};
  // Denylist writes that failed since start: a rebuild that saw one during its snapshot does not
  // publish the marker (the denylist it built may lack that revocation).
  std::atomic<std::uint64_t> failed_denies_{0};
  TimePoint last_copy_{};  // reconcile() only (the backend thread)
};

}  // namespace authsvc::auth
