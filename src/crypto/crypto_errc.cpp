#include "crypto/crypto_errc.hpp"

namespace authsvc::crypto {

const char* error_category_name(CryptoErrc) noexcept {
  return "crypto";
}

const char* describe(CryptoErrc e) noexcept {
  switch (e) {
    case CryptoErrc::invalid_key:
      return "invalid key";
    case CryptoErrc::weak_key:
      return "key too weak";
    case CryptoErrc::wrong_algorithm:
      return "operation not available for this algorithm";
    case CryptoErrc::no_private_key:
      return "no private key";
    case CryptoErrc::openssl_failure:
      return "OpenSSL failure";
  }
  return "unknown crypto error";
}

}  // namespace authsvc::crypto
