#include "crypto/sha256.hpp"

#include "crypto/openssl_util.hpp"

namespace authsvc::crypto {

std::string sha256_bytes(std::string_view input) {
  std::string digest(EVP_MAX_MD_SIZE, '\0');
  unsigned int size = 0;
  if (EVP_Digest(input.data(), input.size(), reinterpret_cast<unsigned char*>(digest.data()), &size,
                 detail::sha256(), nullptr) != 1) {
    return {};
  }
  digest.resize(size);
  return digest;
}

std::string sha256_hex(std::string_view input) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (const char byte : sha256_bytes(input)) {
    const auto b = static_cast<unsigned char>(byte);
    hex += kHex[b >> 4];
    hex += kHex[b & 0xf];
  }
  return hex;
}

}  // namespace authsvc::crypto
