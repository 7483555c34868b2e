#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <string>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "tokens/token_claims.hpp"
#include "tokens/token_errc.hpp"

namespace authsvc::tokens {

struct ClaimsPolicy {
  // The expected `iss`; empty: any (or none).
  std::string issuer;
  // false: a token without `iss` passes (tokens of the original service, HS256 switch-over); one
  // with a different `iss` never does.
  bool require_issuer = true;
  // Clock skew allowed on exp, nbf and iat (PyJWT's leeway).
  std::chrono::seconds leeway{5};
};

// Validates a verified token's claims set, in PyJWT 2.6 + flask-jwt-extended order and wording:
//   exp missing                    invalid_claims  'Token is missing the "exp" claim'
//   iat not a number               invalid_claims  "Issued At claim (iat) must be an integer."
//   iat > now + leeway             not_yet_valid   "The token is not yet valid (iat)"
//   nbf not a number               invalid_claims  "Not Before claim (nbf) must be an integer."
//   nbf > now + leeway             not_yet_valid   "The token is not yet valid (nbf)"
//   exp not a number               invalid_claims  "Expiration Time claim (exp) must be an
//   integer." exp <= now - leeway            expired         "Token has expired" iss missing (when
//   required)    invalid_claims  'Token is missing the "iss" claim' iss other than expected
//   invalid_claims  "Invalid issuer" aud present                    invalid_claims  "Invalid
//   audience" (no audience is ours) jti missing                    invalid_claims  "Missing claim:
//   jti" sub missing                    invalid_claims  "Missing claim: sub" type missing or
//   unknown        invalid_claims  "Missing or invalid claim: type" a claim of the wrong type
//   invalid_claims  "Invalid claim: <name>" (jti: non-empty string;
//                                  sub, sid: UUID strings; fresh: bool or number; roles: array of
//                                  strings; is_superuser: bool; at: string)
// "A number" is a JSON number (not a bool, not a string such as "123", which Python would take),
// finite and within +-2^33 s of the epoch. Times are compared in whole seconds, as PyJWT does.
Result<TokenClaims> validate_claims(const boost::json::object& payload, const ClaimsPolicy& policy,
                                    TimePoint now);

}  // namespace authsvc::tokens
