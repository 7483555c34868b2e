#pragma once

#include <optional>

#include "auth/user_directory.hpp"
#include "tokens/token_claims.hpp"

namespace authsvc::auth {

// Who is calling, once a route's policy accepted the bearer token (Authenticator::accept): the
// token's claims and the account, nullopt when it no longer exists (verify-jwt answers 404).
struct Caller {
  tokens::TokenClaims claims;
  std::optional<UserSnapshot> user;

  const std::string& user_id() const noexcept { return claims.sub; }
};

}  // namespace authsvc::auth
