#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>

#include "auth/caller.hpp"
#include "auth/original_revocations.hpp"
#include "auth/revocations.hpp"
#include "auth/user_directory.hpp"
#include "common/result.hpp"
#include "tokens/token_claims.hpp"
#include "tokens/token_verifier.hpp"

namespace authsvc::auth {

// Whether a credential event of the account (password change, log out everywhere) refuses this
// token: a token without a session (the original service's) issued before the account's cut-off.
bool issued_before_cutoff(const tokens::TokenClaims& claims, const UserSnapshot& user);

// Accepts bearer tokens in the order of SPEC R2: verify() decodes and verifies (signature, then
// claims); accept() checks the type, then revocation, then loads the account (a token of an
// inactive account counts as revoked). During an HS256 switch-over (`original` set) the revocation
// check also asks the original service's denylist about its tokens. Failures are TokenErrc with
// their client text; outages are InfraErrc.
class Authenticator {
 public:
  Authenticator(const tokens::TokenVerifier& verifier, Revocations& revocations,
                UserDirectory& directory, OriginalRevocations* original = nullptr)
      : verifier_(verifier),
        revocations_(revocations),
        directory_(directory),
        original_(original) {}

  // Signature and claims (cached for repeated tokens; an unknown kid reloads the keys once).
  boost::asio::awaitable<Result<tokens::TokenClaims>> verify(std::string token);
  // The rest of R2 for a verified token, and who the caller is.
  boost::asio::awaitable<Result<Caller>> accept(tokens::TokenClaims claims,
                                                tokens::TokenType expected);
  boost::asio::awaitable<Result<bool>> is_revoked(const tokens::TokenClaims& claims);

 private:
  const tokens::TokenVerifier& verifier_;
  Revocations& revocations_;
  UserDirectory& directory_;
  OriginalRevocations* original_;
};

}  // namespace authsvc::auth
