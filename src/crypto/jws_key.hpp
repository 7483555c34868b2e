#pragma once

#include <openssl/types.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "crypto/crypto_errc.hpp"
#include "crypto/jws_algorithm.hpp"

namespace authsvc::crypto {

// One JWS key for one algorithm: an RSA, P-256 or Ed25519 key pair (or only its public half), or an
// HMAC secret. Cheap to copy (shared, immutable) and safe to use from any number of threads.
//
// Speed: verify() and sign() keep per-thread OpenSSL contexts for each key, initialised once and
// reused (OpenSSL 3's per-operation provider fetch and context setup is a large part of an RS256
// verify), so the hot path does no fetch and no allocation for RS256/ES256.
class JwsKey {
 public:
  static constexpr int kMinRsaBits = 2048;
  static constexpr std::size_t kMinHmacSecretBytes = 32;

  // A new random key: RSA `rsa_bits` (RS256; slow, ~0.1-0.5 s), P-256, Ed25519, or a 64-byte HMAC
  // secret.
  static Result<JwsKey> generate(JwsAlgorithm alg, int rsa_bits = kMinRsaBits);
  // A private key from PEM (PKCS#8 "PRIVATE KEY", or the traditional RSA/EC forms). Encrypted PEM
  // is refused (no passphrase prompt). The key must match `alg`: RSA of at least 2048 bits, an EC
  // key on P-256, or Ed25519; otherwise CryptoErrc::invalid_key / weak_key.
  static Result<JwsKey> from_private_pem(JwsAlgorithm alg, std::string_view pem);
  // A verify-only key from an SPKI "PUBLIC KEY" PEM, with the same checks.
  static Result<JwsKey> from_public_pem(JwsAlgorithm alg, std::string_view pem);
  // An HS256 secret (raw bytes, as JWT_SECRET_KEY is used by the original service). Shorter than
  // 32 bytes or a well-known default (`top_secret`, `secret`, ...) is CryptoErrc::weak_key unless
  // `allow_insecure` (the explicit insecure-dev flag); an empty secret is refused even then.
  static Result<JwsKey> hmac(std::string_view secret, bool allow_insecure = false);

  JwsAlgorithm algorithm() const noexcept;
  bool can_sign() const noexcept;
  // RSA modulus bits; 256 for P-256 and Ed25519; 8 * secret length for HMAC.
  int bits() const noexcept;

  // PKCS#8 PEM of the private key (unencrypted: whoever stores it must protect it).
  // CryptoErrc::wrong_algorithm for HMAC, no_private_key for a verify-only key.
  Result<std::string> private_pem() const;
  // SPKI PEM of the public key; wrong_algorithm for HMAC.
  Result<std::string> public_pem() const;

  // The JWS signature over `signing_input` (raw r||s for ES256).
  Result<std::string> sign(std::string_view signing_input) const;
  // True when `signature` is this key's valid JWS signature over `signing_input`. Any malformed
  // signature (wrong length, ES256 not exactly 64 bytes, ...) is simply false. HMAC compares in
  // constant time.
  bool verify(std::string_view signing_input, std::string_view signature) const noexcept;

  // The OpenSSL key (nullptr for HMAC), for JWK export. Owned by this object.
  const EVP_PKEY* native_handle() const noexcept;

  class Impl;

 private:
  explicit JwsKey(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

}  // namespace authsvc::crypto
