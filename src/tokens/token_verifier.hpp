#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "tokens/claims_validator.hpp"
#include "tokens/key_ring.hpp"
#include "tokens/token_claims.hpp"
#include "tokens/token_errc.hpp"
#include "tokens/verified_token_cache.hpp"

namespace authsvc::tokens {

struct VerifierOptions {
  std::string issuer;          // the expected `iss`; empty: not checked
  bool require_issuer = true;  // false during an HS256 switch-over (the original's tokens lack iss)
  std::chrono::seconds leeway{5};
};

// Verifies bearer tokens: signature, then claims (SPEC R2: decode and verify -> claims; the caller
// then checks type with check_token_type() and revocation). Every failure is a TokenErrc whose
// Error detail is the client text (tokens/token_errc.hpp); an outage during an unknown-kid reload
// is an InfraErrc (5xx). Never throws, never fetches anything named by the token (jku, x5u, ...).
//
// Pinned to the ring's one algorithm: "none", HS256 against a public-key deployment (the RS->HS
// confusion, whatever key bytes were used), RS256 against an ES256 deployment, ... all fail with
// alg_not_allowed before any key is touched.
//
// Thread-safe. verify() does no I/O (an RS256 access token takes ~25 us of CPU, see
// bench/jws_bench.cpp); verify_async() may read the key store once per reload interval.
class TokenVerifier {
 public:
  // `clock` and `ring` must outlive the verifier.
  TokenVerifier(const Clock& clock, KeyRing& ring, VerifierOptions options);

  // A token that verified before (same keys) is served from a cache, with its expiry re-checked.
  Result<TokenClaims> verify(std::string_view token) const;
  // verify(), and on unknown_kid one rate-limited ring reload (another instance may have rotated)
  // and a second attempt.
  boost::asio::awaitable<Result<TokenClaims>> verify_async(std::string token) const;

 private:
  Result<TokenClaims> verify_uncached(std::string_view token) const;

  const Clock& clock_;
  KeyRing& ring_;
  ClaimsPolicy policy_;
  mutable VerifiedTokenCache cache_;
};

// flask-jwt-extended's type check: a refresh token where access is needed -> "Only non-refresh
// tokens are allowed"; anything but refresh where refresh is needed -> "Only refresh tokens are
// allowed" (TokenErrc::wrong_type, 422).
Result<void> check_token_type(const TokenClaims& claims, TokenType expected);

}  // namespace authsvc::tokens
