#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

#include "auth/revocations.hpp"
#include "common/clock.hpp"
#include "common/result.hpp"
#include "storage/original_denylist.hpp"
#include "tokens/token_claims.hpp"

namespace authsvc::auth {

// During an HS256 switch-over the original service's tokens are valid here, so the tokens it
// revoked must stay revoked here, although its denylist forgets them after an hour (its keys'
// TTL) while its refresh tokens live 30 days. So the original's denylist is consulted for its
// tokens (those without a `sid`) and copied into our durable record:
// - at check time, a listed token is recorded until its own `exp`;
// - import_all(), run periodically, records every listed jti until the latest time a token revoked
//   then could expire (revocation time, i.e. the key's age, plus `original_token_lifetime`), so a
//   token nobody presents within the hour is still refused afterwards.
// Thread-safe.
class OriginalRevocations {
 public:
  // How long the original keeps a denylist key.
  static constexpr std::chrono::seconds kOriginalDenylistTtl = std::chrono::hours(1);

  OriginalRevocations(storage::OriginalDenylist& denylist, Revocations& revocations,
                      const Clock& clock, std::chrono::seconds original_token_lifetime)
      : denylist_(denylist),
        revocations_(revocations),
        clock_(clock),
        token_lifetime_(original_token_lifetime) {}

  // Whether the original revoked this token (always false for our own tokens, which have a sid).
  boost::asio::awaitable<Result<bool>> is_revoked(const tokens::TokenClaims& claims);
  // Copies every listed jti not copied before; returns how many it copied.
  boost::asio::awaitable<Result<std::size_t>> import_all();

 private:
  bool already_imported(const std::string& jti, TimePoint now);

  storage::OriginalDenylist& denylist_;
  Revocations& revocations_;
  const Clock& clock_;
  std::chrono::seconds token_lifetime_;
  std::mutex mutex_;
  // jti -> when its key is gone from the original's denylist (then it is never listed again).
  std::unordered_map<std::string, TimePoint> imported_;  // guarded by mutex_
};

}  // namespace authsvc::auth
