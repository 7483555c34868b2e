#include "crypto/jwk.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <array>
#include <optional>
#include <span>

#include "crypto/base64url.hpp"
#include "crypto/openssl_util.hpp"
#include "crypto/sha256.hpp"

namespace authsvc::crypto {
namespace {

using detail::BioPtr;
using detail::BnPtr;
using detail::bytes_of;
using detail::OpensslDeleter;
using detail::PkeyCtxPtr;
using detail::PkeyPtr;
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

namespace {

std::optional<std::string> member_bytes(const boost::json::object& jwk, std::string_view name) {
  const auto* value = jwk.if_contains(name);
  if (value == nullptr || !value->is_string()) return std::nullopt;
  auto bytes =
      base64url_decode(std::string_view(value->get_string().data(), value->get_string().size()));
  if (!bytes || bytes->empty()) return std::nullopt;
  return bytes;
}

bool member_is(const boost::json::object& jwk, std::string_view name, std::string_view expected) {
  const auto* value = jwk.if_contains(name);
  return value != nullptr && value->is_string() && value->get_string() == expected;
}

Result<std::string> pem_of(EVP_PKEY* pkey) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), pkey) != 1) {
    return Error(CryptoErrc::openssl_failure, take_openssl_error());
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

// An EVP_PKEY from OSSL_PARAMs built by `add` (RSA or EC public keys).
template <class Add>
Result<PkeyPtr> from_params(const char* type, Add add) {
  std::unique_ptr<OSSL_PARAM_BLD, OpensslDeleter<OSSL_PARAM_BLD_free>> build(OSSL_PARAM_BLD_new());
  if (!build || !add(build.get())) return Error(CryptoErrc::openssl_failure, take_openssl_error());
  std::unique_ptr<OSSL_PARAM, OpensslDeleter<OSSL_PARAM_free>> params(
      OSSL_PARAM_BLD_to_param(build.get()));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return Error(CryptoErrc::invalid_key, "unusable JWK: " + take_openssl_error());
  }
  return PkeyPtr(raw);
}

}  // namespace

Result<JwsKey> key_from_public_jwk(const boost::json::object& jwk, JwsAlgorithm alg) {
  if (jwk.contains("d")) return Error(CryptoErrc::invalid_key, "a private JWK");
  Result<PkeyPtr> pkey = Error(CryptoErrc::invalid_key, "no key type for the algorithm");
  if (alg == JwsAlgorithm::rs256 && member_is(jwk, "kty", "RSA")) {
    const auto n = member_bytes(jwk, "n");
    const auto e = member_bytes(jwk, "e");
    if (!n || !e) return Error(CryptoErrc::invalid_key, "RSA JWK without n or e");
    BnPtr modulus(BN_bin2bn(bytes_of(*n), static_cast<int>(n->size()), nullptr));
    BnPtr exponent(BN_bin2bn(bytes_of(*e), static_cast<int>(e->size()), nullptr));
    if (!modulus || !exponent) return Error(CryptoErrc::openssl_failure, take_openssl_error());
    pkey = from_params("RSA", [&](OSSL_PARAM_BLD* b) {
      return OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_N, modulus.get()) == 1 &&
             OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_E, exponent.get()) == 1;
    });
  } else if (alg == JwsAlgorithm::es256 && member_is(jwk, "kty", "EC") &&
             member_is(jwk, "crv", "P-256")) {
    const auto x = member_bytes(jwk, "x");
    const auto y = member_bytes(jwk, "y");
    if (!x || !y || x->size() != 32 || y->size() != 32) {
      return Error(CryptoErrc::invalid_key, "P-256 JWK without 32-byte x and y");
    }
    const std::string point = "\x04" + *x + *y;  // uncompressed SEC 1 point
    pkey = from_params("EC", [&](OSSL_PARAM_BLD* b) {
      return OSSL_PARAM_BLD_push_utf8_string(b, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) == 1 &&
             OSSL_PARAM_BLD_push_octet_string(b, OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                              point.size()) == 1;
    });
  } else if (alg == JwsAlgorithm::eddsa && member_is(jwk, "kty", "OKP") &&
             member_is(jwk, "crv", "Ed25519")) {
    const auto x = member_bytes(jwk, "x");
    if (!x || x->size() != 32) return Error(CryptoErrc::invalid_key, "Ed25519 JWK without x");
    EVP_PKEY* raw = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, bytes_of(*x), x->size());
    if (raw == nullptr) return Error(CryptoErrc::invalid_key, take_openssl_error());
    pkey = PkeyPtr(raw);
  }
  if (!pkey) return pkey.take_error();
  auto pem = pem_of(pkey->get());
  if (!pem) return pem.take_error();
  return JwsKey::from_public_pem(alg, *pem);
}

Result<std::string> jwk_thumbprint(const JwsKey& key) {
  auto jwk = public_jwk(key);
  if (!jwk) return jwk.take_error();
  return jwk_thumbprint(*jwk);
}

}  // namespace authsvc::crypto
