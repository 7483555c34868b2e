#include "crypto/openssl_util.hpp"

#include <openssl/err.h>

#include <array>

namespace authsvc::crypto::detail {

std::string take_openssl_error() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "no OpenSSL error queued";
  std::array<char, 256> text{};
  ERR_error_string_n(code, text.data(), text.size());
  return text.data();
}

const EVP_MD* sha256() {
  // Freed at exit before OpenSSL's own atexit cleanup (which was registered earlier, by the fetch).
  static const std::unique_ptr<EVP_MD, OpensslDeleter<EVP_MD_free>> md(
      EVP_MD_fetch(nullptr, "SHA256", nullptr));
  return md.get();
}

}  // namespace authsvc::crypto::detail
