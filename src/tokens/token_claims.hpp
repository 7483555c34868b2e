#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"

namespace authsvc::tokens {

enum class TokenType { access, refresh };

// "access" / "refresh", the `type` claim.
std::string_view token_type_name(TokenType type) noexcept;

// The claims of our tokens (SPEC 4), as issued and as verified. Times are NumericDate seconds.
//   access:  fresh, iat, nbf, exp, jti, type, sub, iss, sid, roles, is_superuser
//   refresh: fresh, iat, nbf, exp, jti, type, sub, iss, sid, at, at_exp
// Tokens of the original service (HS256 switch-over) have no iss, sid, roles, is_superuser.
struct TokenClaims {
  TokenType type = TokenType::access;
  std::string jti;  // uuid4
  std::string sub;  // the user id (a UUID string)
  std::optional<std::string> iss;
  std::optional<std::string> sid;  // the session id
  std::optional<std::int64_t> iat;
  std::optional<std::int64_t> nbf;
  std::int64_t exp = 0;
  bool fresh = false;
  std::vector<std::string> roles;  // access tokens
  bool is_superuser = false;       // access tokens
  std::optional<std::string> at;   // refresh tokens: the jti of the paired access token
  // Refresh tokens: the paired access token's exp, so revoking it at rotation lasts exactly as long
  // as that token, whatever the access lifetime is configured to by then. Absent in the original's
  // tokens and in ours issued before it existed.
  std::optional<std::int64_t> at_exp;

  TimePoint expires_at() const;
  // The payload JSON of this token (members of the other type left out).
  boost::json::object to_json() const;
};

}  // namespace authsvc::tokens
