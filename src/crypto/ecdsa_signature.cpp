#include "crypto/ecdsa_signature.hpp"

#include <openssl/bn.h>
#include <openssl/ecdsa.h>

#include <climits>

#include "crypto/openssl_util.hpp"

namespace authsvc::crypto {

using detail::BnPtr;
using detail::bytes_of;
using detail::EcdsaSigPtr;

std::optional<std::string> ecdsa_der_to_raw(std::string_view der, std::size_t component_size) {
  if (der.empty() || der.size() > static_cast<std::size_t>(INT_MAX) || component_size == 0 ||
      component_size > 66) {
    return std::nullopt;
  }
  const unsigned char* cursor = bytes_of(der);
  EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(der.size())));
  if (!sig || cursor != bytes_of(der) + der.size()) return std::nullopt;
  const BIGNUM* r = ECDSA_SIG_get0_r(sig.get());
  const BIGNUM* s = ECDSA_SIG_get0_s(sig.get());
  const auto size = static_cast<int>(component_size);
  if (BN_num_bytes(r) > size || BN_num_bytes(s) > size) return std::nullopt;
  std::string raw(2 * component_size, '\0');
  auto* out = reinterpret_cast<unsigned char*>(raw.data());
  if (BN_bn2binpad(r, out, size) != size || BN_bn2binpad(s, out + component_size, size) != size) {
    return std::nullopt;
  }
  return raw;
}

std::optional<std::string> ecdsa_raw_to_der(std::string_view raw, std::size_t component_size) {
  if (component_size == 0 || component_size > 66 || raw.size() != 2 * component_size) {
    return std::nullopt;
  }
  const auto size = static_cast<int>(component_size);
  BnPtr r(BN_bin2bn(bytes_of(raw), size, nullptr));
  BnPtr s(BN_bin2bn(bytes_of(raw) + component_size, size, nullptr));
  EcdsaSigPtr sig(ECDSA_SIG_new());
  if (!r || !s || !sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) return std::nullopt;
  static_cast<void>(r.release());  // owned by sig now
  static_cast<void>(s.release());
  unsigned char* der = nullptr;
  const int length = i2d_ECDSA_SIG(sig.get(), &der);
  if (length <= 0 || der == nullptr) return std::nullopt;
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(length));
  OPENSSL_free(der);
  return out;
}

}  // namespace authsvc::crypto
