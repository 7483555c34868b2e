#pragma once

#include <optional>
#include <string_view>

namespace authsvc::crypto {

// The JWS algorithms the service signs and verifies (SPEC 4: JWT_ALGORITHM).
enum class JwsAlgorithm {
  hs256,  // HMAC SHA-256; switch-over compatibility with the original service only
  rs256,  // RSASSA-PKCS1-v1_5 SHA-256, RSA >= 2048 bits
  es256,  // ECDSA P-256 SHA-256, signature = raw r||s (64 bytes)
  eddsa,  // Ed25519
};

// "HS256", "RS256", "ES256", "EdDSA" (the JOSE `alg` values).
std::string_view jws_algorithm_name(JwsAlgorithm alg) noexcept;
// Exact, case-sensitive match of a JOSE `alg` value; "none", "none"-likes and anything else:
// nullopt.
std::optional<JwsAlgorithm> parse_jws_algorithm(std::string_view name) noexcept;
inline bool is_symmetric(JwsAlgorithm alg) noexcept {
  return alg == JwsAlgorithm::hs256;
}

}  // namespace authsvc::crypto
