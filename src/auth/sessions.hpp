#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "auth/client_info.hpp"
#include "auth/revocations.hpp"
#include "auth/user_directory.hpp"
#include "common/bounded_work_pool.hpp"
#include "common/clock.hpp"
#include "common/result.hpp"
#include "storage/ephemeral_store.hpp"
#include "storage/revocation_repository.hpp"
#include "storage/session_repository.hpp"
#include "tokens/token_claims.hpp"
#include "tokens/token_issuer.hpp"

namespace authsvc::auth {

// The two tokens a client receives.
struct IssuedPair {
  std::string access_token;
  std::string refresh_token;
};

// A new session and its first pair.
struct OpenedSession {
  std::string id;  // the `sid` of its tokens
  IssuedPair tokens;
};

struct SessionOptions {
  // A retry of a refresh token within this window gets the same successor pair; a reuse after it
  // ends the session as theft (SPEC 4).
  std::chrono::seconds reuse_grace{10};
  // How long a request that lost the rotation race waits for the winner's pair.
  std::chrono::milliseconds successor_wait{3000};
  // Called once per detected reuse (metrics).
  std::function<void()> on_reuse;
};

// Sessions and their token families: opening at login, race-free refresh rotation with reuse
// detection, logout, ending one or all sessions, and RFC 7009 revocation.
//
// Rotation: the session row holds the one refresh jti that may rotate now. A refresh swaps it for
// the successor's jti in one conditional UPDATE, so exactly one request wins on every instance;
// the winner signs the successor pair and leaves it in the EphemeralStore for the grace window,
// where concurrent retries of the same token pick up the same pair.
class Sessions {
 public:
  Sessions(storage::SessionRepository& sessions, storage::RevocationRepository& durable,
           storage::AuditRepository& audit, Revocations& revocations, UserDirectory& directory,
           storage::EphemeralStore& store, const tokens::TokenIssuer& issuer, BoundedWorkPool& cpu,
           const Clock& clock, SessionOptions options)
      : sessions_(sessions),
        durable_(durable),
        audit_(audit),
        revocations_(revocations),
        directory_(directory),
        store_(store),
        issuer_(issuer),
        cpu_(cpu),
        clock_(clock),
        options_(options) {}

  // A session for `user`, opened by `provider` ("password" or an OAuth provider); the caller
  // records the login (LoginHistory::record).
  boost::asio::awaitable<Result<OpenedSession>> open(UserSnapshot user, ClientInfo client,
                                                     std::string provider);
  // `claims`: a verified, unrevoked refresh token. TokenErrc::revoked for a reuse (which ends the
  // session) or an ended session.
  boost::asio::awaitable<Result<IssuedPair>> refresh(tokens::TokenClaims claims);
  // Ends the session of this refresh token (a session-less token of the original service: revokes
  // it and its access token).
  boost::asio::awaitable<Result<void>> logout(tokens::TokenClaims claims);
  // RFC 7009: a refresh token ends its session, an access token is revoked alone.
  boost::asio::awaitable<Result<void>> revoke(tokens::TokenClaims claims);

  // Whether this verified refresh token may still rotate: its session's current token (a rotated
  // one is spent even while its retry grace window keeps it off the denylist), or for a
  // session-less token of the original service, not yet spent.
  boost::asio::awaitable<Result<bool>> is_current_refresh(const tokens::TokenClaims& claims);

  boost::asio::awaitable<Result<std::vector<storage::SessionRecord>>> list(std::string user_id);
  // AccountErrc::session_not_found for an unknown, ended or foreign session.
  boost::asio::awaitable<Result<void>> end(std::string user_id, std::string session_id);
  // Every live session of the user but `keep`.
  boost::asio::awaitable<Result<void>> end_all(std::string user_id, std::optional<std::string> keep,
                                               std::string reason);

  // Every live session of the user opened through `provider` (it was unlinked).
  boost::asio::awaitable<Result<void>> end_opened_by(std::string user_id, std::string provider);

  static std::string successor_key(std::string_view refresh_jti);

 private:
  boost::asio::awaitable<Result<tokens::TokenPair>> issue(tokens::IssueRequest request,
                                                          tokens::PairJtis jtis);
  boost::asio::awaitable<Result<IssuedPair>> refresh_without_session(tokens::TokenClaims claims);
  boost::asio::awaitable<Result<IssuedPair>> await_successor(std::string refresh_jti);
  boost::asio::awaitable<Result<IssuedPair>> successor_for_retry(const tokens::TokenClaims& claims,
                                                                 storage::SessionRecord row);
  boost::asio::awaitable<void> remember_successor(std::string refresh_jti, const IssuedPair& pair);
  boost::asio::awaitable<Result<IssuedPair>> spent_without_session(
      const tokens::TokenClaims& claims);
  // Ends the token family of a reused refresh token: its session (or for a session-less token, its
  // successor's), with an audit event.
  boost::asio::awaitable<Result<void>> end_for_reuse(const tokens::TokenClaims& claims,
                                                     std::string session_id);
  static TimePoint access_expiry(const tokens::TokenClaims& refresh_claims);

  storage::SessionRepository& sessions_;
  storage::RevocationRepository& durable_;
  storage::AuditRepository& audit_;
  Revocations& revocations_;
  UserDirectory& directory_;
  storage::EphemeralStore& store_;
  const tokens::TokenIssuer& issuer_;
  BoundedWorkPool& cpu_;
  const Clock& clock_;
  SessionOptions options_;
};

}  // namespace authsvc::auth
