#pragma once

#include <optional>
#include <string>
#include <system_error>

#include "common/error.hpp"
#include "common/error_category.hpp"

namespace authsvc::tokens {

// Why a bearer token was refused. Errors of this category carry the exact client-facing text (the
// wording of flask-jwt-extended over PyJWT 2.6, which the original service sent) in
// Error::client_text, which the HTTP layer sends as {"msg": ...}; Error::detail may say more, for
// the logs only. token_error() builds one; token_error_reply() gives status and text in one call.
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
  unsupported_header,  // 422 "Signature verification failed" for jku / x5u / jwk / x5c / crit or a
                       //     kid that is not a string (PyJWT 2.6 checks none of them, so the
                       //     original answered with the signature failure; the detail names it)
  invalid_claims,      // 422 e.g. "Missing claim: jti", "Invalid claim: sub", "Invalid issuer",
                       //     "Expiration Time claim (exp) must be an integer."
  wrong_type,      // 422 "Only refresh tokens are allowed" / "Only non-refresh tokens are allowed"
  revoked,         // 401 "Token has been revoked" (for the revocation check of the caller)
  missing_header,  // 401 "Missing Authorization Header"
  wrong_scheme,    // 401 "Missing 'Bearer' type in 'Authorization' header. Expected ..."
  bad_header,      // 422 "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'"
};

const char* error_category_name(TokenErrc) noexcept;
// flask-jwt-extended's / PyJWT's generic text of each code, used when an error carries none.
const char* describe(TokenErrc e) noexcept;
inline std::error_code make_error_code(TokenErrc e) noexcept {
  return make_enum_error_code(e);
}

// A token error with the text the client is shown and, when it says more, a detail for the logs.
Error token_error(TokenErrc code, std::string client_text, std::string detail = {});

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
