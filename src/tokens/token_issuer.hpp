#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "tokens/key_ring.hpp"
#include "tokens/token_claims.hpp"

namespace authsvc::tokens {

struct IssuerOptions {
  std::string issuer;                                            // the `iss` claim
  std::chrono::seconds access_lifetime = std::chrono::hours(1);  // JWT_ACCESS_TOKEN_EXPIRES
  std::chrono::seconds refresh_lifetime = std::chrono::hours(24 * 30);
};

struct IssueRequest {
  std::string user_id;     // sub
  std::string session_id;  // sid
  std::vector<std::string> roles;
  bool is_superuser = false;
};

// The jtis of a pair, when the caller must record them before signing (refresh rotation).
struct PairJtis {
  std::string access;
  std::string refresh;
};

struct IssuedToken {
  std::string token;  // compact JWS
  std::string jti;
  TimePoint expires_at{};
};

struct TokenPair {
  IssuedToken access;
  IssuedToken refresh;  // its `at` claim is access.jti
  TimePoint issued_at{};
};

// Signs access + refresh pairs with the ring's active key (kid in the header; none for HS256).
// RS256 signing costs ~0.3 ms of CPU: on the request path run issue() on the BoundedWorkPool.
// Thread-safe.
class TokenIssuer {
 public:
  // `clock` and `ring` must outlive the issuer.
  TokenIssuer(const Clock& clock, const KeyRing& ring, IssuerOptions options);

  // InfraErrc::internal when the ring has no active key (ensure_key() not run) or signing fails.
  Result<TokenPair> issue(const IssueRequest& request) const;
  Result<TokenPair> issue(const IssueRequest& request, const PairJtis& jtis) const;

  const IssuerOptions& options() const noexcept { return options_; }

 private:
  const Clock& clock_;
  const KeyRing& ring_;
  IssuerOptions options_;
};

}  // namespace authsvc::tokens
