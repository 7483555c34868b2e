#pragma once

#include <optional>
#include <string>
#include <system_error>

#include "common/error.hpp"

namespace authsvc::tokens {

// Why a bearer token was refused. For this category the Error's `detail` is NOT a log-only
// detail: it is the exact client-facing text (the wording of flask-jwt-extended and PyJWT 2.6,
// which the original service sent), free of secrets, that the HTTP layer sends as {"msg": detail}.
// token_error_reply() gives status and text in one call.
enum class TokenErrc {
  malformed = 1,       // 422 "Not enough segments", "Invalid header padding", "Invalid header
                       //     string: ...", "Invalid payload padding", "Invalid crypto padding",
                       //     "Invalid payload string: ...", "Token is too large"
  bad_signature,       // 422 "Signature verification failed"
  expired,             // 401 "Token has expired"
  not_yet_valid,       // 422 "The token is not yet valid (nbf)" / "(iat)"
  alg_not_allowed,     // 422 "The specified alg value is not allowed" (none, HS256 against a
                       //     public-key deployment, any alg other than the configured one)
  unknown_kid,         // 422 "Unknown key ID" (no kid, or no live key with that kid)
  unsupported_header,  // 422 jku / x5u / jwk / x5c / crit, kid not a string
  invalid_claims,      // 422 e.g. "Missing claim: jti", "Invalid claim: sub", "Invalid issuer",
                       //     "Expiration Time claim (exp) must be an integer."
  wrong_type,      // 422 "Only refresh tokens are allowed" / "Only non-refresh tokens are allowed"
  revoked,         // 401 "Token has been revoked" (for the revocation check of the caller)
  missing_header,  // 401 "Missing Authorization Header"
  wrong_scheme,    // 401 "Missing 'Bearer' type in 'Authorization' header. Expected ..."
  bad_header,      // 422 "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'"
};

const std::error_category& token_category() noexcept;
std::error_code make_error_code(TokenErrc e) noexcept;

// 401 for expired, revoked, a missing header or another scheme, 422 for everything else
// (flask-jwt-extended's mapping).
int token_error_status(TokenErrc e) noexcept;

struct TokenErrorReply {
  int status = 422;
  std::string msg;
};
// The answer for a token failure; nullopt when `error` is not a TokenErrc (an infrastructure
// failure, say, which must become 5xx).
std::optional<TokenErrorReply> token_error_reply(const Error& error);

}  // namespace authsvc::tokens

template <>
struct std::is_error_code_enum<authsvc::tokens::TokenErrc> : std::true_type {};
