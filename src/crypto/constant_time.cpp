#include "crypto/constant_time.hpp"

#include <openssl/crypto.h>

namespace authsvc::crypto {

bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace authsvc::crypto
