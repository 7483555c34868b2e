#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>

#include "auth/revocations.hpp"
#include "common/result.hpp"
#include "tokens/token_claims.hpp"
#include "tokens/token_verifier.hpp"

namespace authsvc::auth {

// Accepts a bearer token for one use, in the order of SPEC R2: decode and verify (signature,
// then claims), type check, revocation check. Failures are TokenErrc (their detail is the client
// text); outages are InfraErrc.
class Authenticator {
 public:
  Authenticator(const tokens::TokenVerifier& verifier, Revocations& revocations)
      : verifier_(verifier), revocations_(revocations) {}

  boost::asio::awaitable<Result<tokens::TokenClaims>> authenticate(std::string token,
                                                                   tokens::TokenType expected);
  // Signature and claims only (RFC 7009 revocation and introspection decide the rest).
  boost::asio::awaitable<Result<tokens::TokenClaims>> verify(std::string token);
  boost::asio::awaitable<Result<bool>> is_revoked(const tokens::TokenClaims& claims);

 private:
  const tokens::TokenVerifier& verifier_;
  Revocations& revocations_;
};

}  // namespace authsvc::auth
