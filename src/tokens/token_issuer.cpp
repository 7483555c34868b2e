#include "tokens/token_issuer.hpp"

#include <boost/json/serialize.hpp>

#include "common/ids.hpp"
#include "crypto/jws.hpp"

namespace authsvc::tokens {

TokenIssuer::TokenIssuer(const Clock& clock, const KeyRing& ring, IssuerOptions options)
    : clock_(clock), ring_(ring), options_(std::move(options)) {}

Result<TokenPair> TokenIssuer::issue(const IssueRequest& request) const {
  return issue(request, PairJtis{new_uuid(), new_uuid()});
}

Result<TokenPair> TokenIssuer::issue(const IssueRequest& request, const PairJtis& jtis) const {
  const auto signer = ring_.signer();
  if (!signer) return Error(InfraErrc::internal, "no active signing key");

  // NumericDates are whole seconds, as PyJWT writes them.
  const auto now = std::chrono::time_point_cast<std::chrono::seconds>(clock_.now());
  const std::int64_t iat = now.time_since_epoch().count();

  TokenClaims access;
  access.type = TokenType::access;
  access.jti = jtis.access;
  access.sub = request.user_id;
  access.iss = options_.issuer;
  access.sid = request.session_id;
  access.iat = iat;
  access.nbf = iat;
  access.exp = iat + options_.access_lifetime.count();
  access.roles = request.roles;
  access.is_superuser = request.is_superuser;

  TokenClaims refresh;
  refresh.type = TokenType::refresh;
  refresh.jti = jtis.refresh;
  refresh.sub = request.user_id;
  refresh.iss = options_.issuer;
  refresh.sid = request.session_id;
  refresh.iat = iat;
  refresh.nbf = iat;
  refresh.exp = iat + options_.refresh_lifetime.count();
  refresh.at = access.jti;
  refresh.at_exp = access.exp;

  auto access_token =
      crypto::sign_jws(signer->key, signer->kid, boost::json::serialize(access.to_json()));
  if (!access_token) return Error(InfraErrc::internal, access_token.error().describe());
  auto refresh_token =
      crypto::sign_jws(signer->key, signer->kid, boost::json::serialize(refresh.to_json()));
  if (!refresh_token) return Error(InfraErrc::internal, refresh_token.error().describe());

  TokenPair pair;
  pair.issued_at = now;
  pair.access = IssuedToken{std::move(*access_token), access.jti, access.expires_at()};
  pair.refresh = IssuedToken{std::move(*refresh_token), refresh.jti, refresh.expires_at()};
  return pair;
}

}  // namespace authsvc::tokens
