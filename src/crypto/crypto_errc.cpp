#include "crypto/crypto_errc.hpp"

#include <string>

namespace authsvc::crypto {
namespace {

class CryptoCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "crypto"; }
  std::string message(int value) const override {
    switch (static_cast<CryptoErrc>(value)) {
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
};

}  // namespace

const std::error_category& crypto_category() noexcept {
  static const CryptoCategory category;
  return category;
}

std::error_code make_error_code(CryptoErrc e) noexcept {
  return {static_cast<int>(e), crypto_category()};
}

}  // namespace authsvc::crypto
