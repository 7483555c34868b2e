#pragma once

#include <system_error>

#include "common/error_category.hpp"

namespace authsvc::crypto {

// Failures of key handling (start-up, key generation, rotation). Token verification failures are
// JwsErrc (crypto/jws_errc.hpp) and TokenErrc (tokens/token_errc.hpp).
enum class CryptoErrc {
  invalid_key = 1,  // unreadable PEM, or a key of another type than the algorithm needs
  weak_key,         // RSA under 2048 bits, an HMAC secret under 32 bytes or a well-known default
  wrong_algorithm,  // the operation does not exist for this algorithm (e.g. PEM of an HMAC key)
  no_private_key,   // signing with a verify-only key
  openssl_failure,  // OpenSSL refused an operation that should work (its error text is the detail)
};

const char* error_category_name(CryptoErrc) noexcept;
const char* describe(CryptoErrc e) noexcept;
inline std::error_code make_error_code(CryptoErrc e) noexcept {
  return make_enum_error_code(e);
}

}  // namespace authsvc::crypto

template <>
struct std::is_error_code_enum<authsvc::crypto::CryptoErrc> : std::true_type {};
