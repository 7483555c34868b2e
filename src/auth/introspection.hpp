#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>

#include "auth/authenticator.hpp"
#include "auth/sessions.hpp"
#include "auth/user_directory.hpp"
#include "common/result.hpp"
#include "tokens/token_claims.hpp"

namespace authsvc::auth {

// An active token (RFC 7662) and the account it speaks for, as of now.
struct ActiveToken {
  tokens::TokenClaims claims;
  UserSnapshot user;  // roles and superuser flag come from here, not from the token
};

// RFC 7662 introspection: a token is active only if a resource server could use it now. Beyond
// verification and the denylist, a refresh token must still be its session's current one (a rotated
// token stays off the denylist for the retry grace window, but it is spent), and the account must
// exist and be active.
class Introspection {
 public:
  Introspection(Authenticator& authenticator, Sessions& sessions, UserDirectory& directory)
      : authenticator_(authenticator), sessions_(sessions), directory_(directory) {}

  // nullopt: not active. An error only for an outage (the answer is not known).
  boost::asio::awaitable<Result<std::optional<ActiveToken>>> introspect(std::string token);

 private:
  Authenticator& authenticator_;
  Sessions& sessions_;
  UserDirectory& directory_;
};

}  // namespace authsvc::auth
