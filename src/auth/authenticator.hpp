#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>

#include "auth/original_revocations.hpp"
#include "auth/revocations.hpp"
#include "auth/user_directory.hpp"
#include "common/result.hpp"
#include "tokens/token_claims.hpp"
#include "tokens/token_verifier.hpp"

namespace authsvc::auth {

// Accepts a bearer token for one use, in the order of SPEC R2: decode and verify (signature,
// then claims), type check, revocation check; a token of an inactive account counts as revoked.
// During an HS256 switch-over (`original` set) the revocation check also asks the original
// service's denylist about its tokens. Failures are TokenErrc (with their client text); outages
// are InfraErrc.
class Authenticator {
 public:
  Authenticator(const tokens::TokenVerifier& verifier, Revocations& revocations,
                UserDirectory& directory, OriginalRevocations* original = nullptr)
      : verifier_(verifier),
        revocations_(revocations),
        directory_(directory),
        original_(original) {}

  boost::asio::awaitable<Result<tokens::TokenClaims>> authenticate(std::string token,
                                                                   tokens::TokenType expected);
  // Signature and claims only (RFC 7009 revocation and introspection decide the rest).
  boost::asio::awaitable<Result<tokens::TokenClaims>> verify(std::string token);
  boost::asio::awaitable<Result<bool>> is_revoked(const tokens::TokenClaims& claims);

 private:
  const tokens::TokenVerifier& verifier_;
  Revocations& revocations_;
  UserDirectory& directory_;
  OriginalRevocations* original_;
};

}  // namespace authsvc::auth
