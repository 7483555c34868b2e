#include "crypto/jwk.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <array>
#include <span>

#include "crypto/base64url.hpp"
#include "crypto/openssl_util.hpp"
#include "crypto/sha256.hpp"

namespace authsvc::crypto {
namespace {

using detail::BnPtr;
using detail::take_openssl_error;

// A big-endian unsigned integer parameter; `width` 0: minimal length (RSA), else left-padded.
Result<std::string> bn_param(const EVP_PKEY* pkey, const char* name, int width) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &raw) != 1 || raw == nullptr) {
    return Error(CryptoErrc::openssl_failure, take_openssl_error());
  }
  BnPtr bn(raw);
  const int size = width > 0 ? width : BN_num_bytes(bn.get());
  if (BN_num_bytes(bn.get()) > size) return Error(CryptoErrc::invalid_key, "coordinate too large");
  std::string out(static_cast<std::size_t>(size), '\0');
  if (BN_bn2binpad(bn.get(), reinterpret_cast<unsigned char*>(out.data()), size) != size) {
    return Error(CryptoErrc::openssl_failure, take_openssl_error());
  }
  return out;
}

// RFC 7638 section 3.2: the required members, sorted, no whitespace. The member values are
// base64url or fixed names, so they need no JSON escaping; anything else is refused.
bool plain_json_string(std::string_view value) {
  for (const char c : value) {
    if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) return false;
  }
  return true;
}

}  // namespace

Result<boost::json::object> public_jwk(const JwsKey& key, std::string_view kid) {
  const EVP_PKEY* pkey = key.native_handle();
  if (pkey == nullptr || key.algorithm() == JwsAlgorithm::hs256) {
    return Error(CryptoErrc::wrong_algorithm, "HMAC secrets have no public JWK");
  }
  boost::json::object jwk;
  switch (key.algorithm()) {
    case JwsAlgorithm::rs256: {
      auto n = bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, 0);
      auto e = bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, 0);
      if (!n) return n.take_error();
      if (!e) return e.take_error();
      jwk["kty"] = "RSA";
      jwk["n"] = base64url_encode(*n);
      jwk["e"] = base64url_encode(*e);
      break;
    }
    case JwsAlgorithm::es256: {
      auto x = bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_X, 32);
      auto y = bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, 32);
      if (!x) return x.take_error();
      if (!y) return y.take_error();
      jwk["kty"] = "EC";
      jwk["crv"] = "P-256";
      jwk["x"] = base64url_encode(*x);
      jwk["y"] = base64url_encode(*y);
      break;
    }
    case JwsAlgorithm::eddsa: {
      std::array<unsigned char, 32> raw{};
      std::size_t size = raw.size();
      if (EVP_PKEY_get_raw_public_key(pkey, raw.data(), &size) != 1 || size != raw.size()) {
        return Error(CryptoErrc::openssl_failure, take_openssl_error());
      }
      jwk["kty"] = "OKP";
      jwk["crv"] = "Ed25519";
      jwk["x"] =
          base64url_encode(std::string_view(reinterpret_cast<const char*>(raw.data()), size));
      break;
    }
    case JwsAlgorithm::hs256:
      break;
  }
  if (!kid.empty()) jwk["kid"] = kid;
  jwk["alg"] = jws_algorithm_name(key.algorithm());
  jwk["use"] = "sig";
  return jwk;
}

Result<std::string> jwk_thumbprint(const boost::json::object& jwk) {
  const auto* kty = jwk.if_contains("kty");
  if (kty == nullptr || !kty->is_string()) return Error(CryptoErrc::invalid_key, "JWK without kty");
  static constexpr std::array<const char*, 3> kRsa = {"e", "kty", "n"};
  static constexpr std::array<const char*, 4> kEc = {"crv", "kty", "x", "y"};
  static constexpr std::array<const char*, 3> kOkp = {"crv", "kty", "x"};
  std::span<const char* const> members;
  if (kty->get_string() == "RSA") {
    members = kRsa;
  } else if (kty->get_string() == "EC") {
    members = kEc;
  } else if (kty->get_string() == "OKP") {
    members = kOkp;
  } else {
    return Error(CryptoErrc::invalid_key, "unsupported kty");
  }
  std::string canonical = "{";
  for (const char* name : members) {
    const auto* value = jwk.if_contains(name);
    if (value == nullptr || !value->is_string() || !plain_json_string(value->get_string())) {
      return Error(CryptoErrc::invalid_key, std::string("JWK member missing or invalid: ") + name);
    }
    if (canonical.size() > 1) canonical += ',';
    canonical += '"';
    canonical += name;
    canonical += "\":\"";
    canonical.append(value->get_string().data(), value->get_string().size());
    canonical += '"';
  }
  canonical += '}';
  const std::string digest = sha256_bytes(canonical);
  if (digest.empty()) return Error(CryptoErrc::openssl_failure, take_openssl_error());
  return base64url_encode(digest);
}

Result<std::string> jwk_thumbprint(const JwsKey& key) {
  auto jwk = public_jwk(key);
  if (!jwk) return jwk.take_error();
  return jwk_thumbprint(*jwk);
}

}  // namespace authsvc::crypto
