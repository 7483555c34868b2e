#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "crypto/jws_key.hpp"

namespace authsvc::crypto {

// The public JWK (RFC 7517, RFC 7518 section 6) of an asymmetric key, members in this order:
//   RSA:     kty "RSA", n, e                    (big-endian, base64url, no leading zero bytes)
//   P-256:   kty "EC", crv "P-256", x, y        (32 bytes each, base64url)
//   Ed25519: kty "OKP", crv "Ed25519", x        (RFC 8037)
// then kid (when not empty), alg and use "sig". Never a private member. HMAC keys:
// CryptoErrc::wrong_algorithm (a secret is never published).
Result<boost::json::object> public_jwk(const JwsKey& key, std::string_view kid = {});

// The verify-only key of a public JWK (a provider's JWKS entry) for `alg`: RSA (n, e) for RS256,
// EC P-256 (x, y) for ES256, OKP Ed25519 (x) for EdDSA, with JwsKey's checks (RSA at least 2048
// bits). CryptoErrc::invalid_key for a JWK of another type, a missing or undecodable member, or a
// private member ("d") present.
Result<JwsKey> key_from_public_jwk(const boost::json::object& jwk, JwsAlgorithm alg);

// RFC 7638 thumbprint: base64url(SHA-256(canonical JSON of the required members in lexicographic
// order)). Takes a public JWK such as public_jwk() returns; CryptoErrc::invalid_key when a
// required member is missing or not a string, or kty is not RSA, EC or OKP.
Result<std::string> jwk_thumbprint(const boost::json::object& jwk);
// The thumbprint of the key's public JWK.
Result<std::string> jwk_thumbprint(const JwsKey& key);

}  // namespace authsvc::crypto
