#include "tokens/token_verifier.hpp"

#include "crypto/jose_json.hpp"
#include "crypto/jws.hpp"

namespace authsvc::tokens {
namespace {

// Refines the JWS layer's code. Its text is PyJWT 2.6's and goes to the client, except for the
// header rules that PyJWT 2.6 does not have (kid type, crit, key-carrying parameters): those
// tokens are refused before any key work, but the client sees what the original answered for
// them, the signature failure, and the rule's own text stays in the log detail.
Error from_jws(Error error) {
  using crypto::JwsErrc;
  switch (static_cast<JwsErrc>(error.code.value())) {
    case JwsErrc::malformed:
    case JwsErrc::bad_header:
    case JwsErrc::bad_payload_encoding:
    case JwsErrc::bad_signature_encoding:
      return token_error(TokenErrc::malformed, std::move(error.detail));
    case JwsErrc::bad_kid:
    case JwsErrc::unsupported_header:
      return token_error(TokenErrc::unsupported_header, "Signature verification failed",
                         std::move(error.detail));
    case JwsErrc::alg_not_allowed:
      return token_error(TokenErrc::alg_not_allowed, std::move(error.detail));
    case JwsErrc::bad_signature:
    case JwsErrc::signing_failed:
      break;
  }
  return token_error(TokenErrc::bad_signature, std::move(error.detail));
}

}  // namespace

TokenVerifier::TokenVerifier(const Clock& clock, KeyRing& ring, VerifierOptions options)
    : clock_(clock),
      ring_(ring),
      policy_{std::move(options.issuer), options.require_issuer, options.leeway} {}

Result<TokenClaims> TokenVerifier::verify(std::string_view token) const {
  const std::string key = VerifiedTokenCache::key_of(token);
  const auto generation = ring_.generation();
  if (auto cached = cache_.find(key, generation)) {
    // Time only moves forward: nbf and iat held when it was verified; exp must be checked again,
    // exactly as validate_claims() does.
    const auto now =
        std::chrono::duration_cast<std::chrono::seconds>(clock_.now().time_since_epoch()).count();
    if (cached->exp <= now - policy_.leeway.count())
      return token_error(TokenErrc::expired, "Token has expired");
    return std::move(*cached);
  }
  auto verified = verify_uncached(token);
  if (verified) cache_.store(key, generation, *verified);
  return verified;
}

Result<TokenClaims> TokenVerifier::verify_uncached(std::string_view token) const {
  auto parts = crypto::decode_jws(token);
  if (!parts) return from_jws(parts.take_error());
  if (auto header = crypto::check_jws_header(*parts, ring_.algorithm()); !header) {
    return from_jws(header.take_error());
  }
  const auto key = ring_.verifier(parts->kid());
  if (!key) return token_error(TokenErrc::unknown_kid, "Unknown key ID");
  if (auto signature = crypto::verify_jws_signature(*parts, *key); !signature) {
    return from_jws(signature.take_error());
  }
  std::string json_error;
  const auto payload = crypto::parse_jose_object(parts->payload, json_error);
  if (!payload) return token_error(TokenErrc::malformed, "Invalid payload string: " + json_error);
  return validate_claims(*payload, policy_, clock_.now());
}

boost::asio::awaitable<Result<TokenClaims>> TokenVerifier::verify_async(std::string token) const {
  auto first = verify(token);
  if (first || !first.error().is(TokenErrc::unknown_kid) || ring_.is_hmac()) co_return first;
  auto reloaded = co_await ring_.reload_for_unknown_kid();
  if (!reloaded) co_return reloaded.take_error();
  if (!*reloaded) co_return first;
  co_return verify(token);
}

Result<void> check_token_type(const TokenClaims& claims, TokenType expected) {
  if (expected == TokenType::refresh && claims.type != TokenType::refresh) {
    return token_error(TokenErrc::wrong_type, "Only refresh tokens are allowed");
  }
  if (expected == TokenType::access && claims.type == TokenType::refresh) {
    return token_error(TokenErrc::wrong_type, "Only non-refresh tokens are allowed");
  }
  return ok_result();
}

}  // namespace authsvc::tokens
