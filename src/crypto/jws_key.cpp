#include "crypto/jws_key.hpp"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include <array>
#include <atomic>
#include <climits>
#include <cstdint>
#include <unordered_map>
#include <utility>

#include "crypto/constant_time.hpp"
#include "crypto/ecdsa_signature.hpp"
#include "crypto/openssl_util.hpp"

namespace authsvc::crypto {

using detail::BioPtr;
using detail::bytes_of;
using detail::MdCtxPtr;
using detail::PkeyCtxPtr;
using detail::PkeyPtr;
using detail::take_openssl_error;

namespace {

constexpr std::size_t kSha256Bytes = 32;
constexpr std::size_t kEs256ComponentBytes = 32;
constexpr std::size_t kGeneratedHmacBytes = 64;
// Longest input sign/verify accept: a bound far above any real token, and OpenSSL takes sizes as
// int in places.
constexpr std::size_t kMaxInputBytes = std::size_t{1} << 30;

// Defaults seen in tutorials, generators and the original service's env; refused without the flag.
constexpr std::array<std::string_view, 8> kWellKnownSecrets = {
    "top_secret",          "secret",       "changeme",       "change_me", "jwt",
    "your-256-bit-secret", "super-secret", "your-secret-key"};

// No passphrase prompt on a terminal, ever: encrypted PEM just fails to load.
int no_passphrase(char* /*buf*/, int /*size*/, int /*rwflag*/, void* /*userdata*/) {
  return 0;
}

std::atomic<std::uint64_t> next_serial{1};

}  // namespace

class JwsKey::Impl : public std::enable_shared_from_this<JwsKey::Impl> {
 public:
  Impl(JwsAlgorithm alg, PkeyPtr pkey, bool has_private)
      : alg_(alg), pkey_(std::move(pkey)), has_private_(has_private) {}
  explicit Impl(std::string secret)
      : alg_(JwsAlgorithm::hs256), has_private_(true), secret_(std::move(secret)) {}

  JwsAlgorithm alg() const noexcept { return alg_; }
  EVP_PKEY* pkey() const noexcept { return pkey_.get(); }
  bool has_private() const noexcept { return has_private_; }
  const std::string& secret() const noexcept { return secret_; }

  Result<std::string> sign(std::string_view input) const;
  bool verify(std::string_view input, std::string_view signature) const noexcept;

 private:
  // Contexts of one key on one thread. The EVP_PKEY_CTXs are initialised once and reused: OpenSSL
  // allows EVP_PKEY_sign/verify to be called repeatedly on a context with the same parameters.
  struct ThreadContexts {
    std::weak_ptr<const void> owner;
    PkeyCtxPtr verify;      // RSA/EC: EVP_PKEY_verify_init with padding and digest set
    PkeyCtxPtr sign;        // RSA/EC: EVP_PKEY_sign_init likewise
    MdCtxPtr eddsa_verify;  // Ed25519: an initialised DigestVerify template
    MdCtxPtr eddsa_work;    // Ed25519: the context each verify copies the template into
  };

  ThreadContexts* contexts() const noexcept;
  PkeyCtxPtr new_pkey_ctx(bool for_sign) const noexcept;
  static bool sha256_digest(std::string_view input, unsigned char* out) noexcept;
  bool verify_hmac(std::string_view input, std::string_view signature) const noexcept;
  bool verify_digest(std::string_view input, std::string_view signature) const noexcept;
  bool verify_eddsa(std::string_view input, std::string_view signature) const noexcept;

  JwsAlgorithm alg_;
  PkeyPtr pkey_;
  bool has_private_ = false;
  std::string secret_;
  std::uint64_t serial_ = next_serial.fetch_add(1, std::memory_order_relaxed);
};

JwsKey::Impl::ThreadContexts* JwsKey::Impl::contexts() const noexcept {
  // Keyed by a serial number rather than the address, which a later key may reuse. Entries of
  // destroyed keys are swept when the table grows.
  thread_local std::unordered_map<std::uint64_t, ThreadContexts> table;
  try {
    auto found = table.find(serial_);
    if (found != table.end()) return &found->second;
    if (table.size() >= 16) {
      std::erase_if(table, [](const auto& entry) { return entry.second.owner.expired(); });
    }
    ThreadContexts fresh;
    fresh.owner = std::weak_ptr<const void>(shared_from_this());
    return &table.emplace(serial_, std::move(fresh)).first->second;
  } catch (...) {
    return nullptr;  // out of memory or a key not owned by a shared_ptr: callers fall back
  }
}

PkeyCtxPtr JwsKey::Impl::new_pkey_ctx(bool for_sign) const noexcept {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey_.get(), nullptr));
  if (!ctx) return nullptr;
  if ((for_sign ? EVP_PKEY_sign_init(ctx.get()) : EVP_PKEY_verify_init(ctx.get())) != 1) {
    return nullptr;
  }
  if (alg_ == JwsAlgorithm::rs256 &&
      EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1) {
    return nullptr;
  }
  if (EVP_PKEY_CTX_set_signature_md(ctx.get(), detail::sha256()) != 1) return nullptr;
  return ctx;
}

bool JwsKey::Impl::sha256_digest(std::string_view input, unsigned char* out) noexcept {
  thread_local MdCtxPtr md(EVP_MD_CTX_new());
  unsigned int size = 0;
  return md && EVP_DigestInit_ex2(md.get(), detail::sha256(), nullptr) == 1 &&
         EVP_DigestUpdate(md.get(), input.data(), input.size()) == 1 &&
         EVP_DigestFinal_ex(md.get(), out, &size) == 1 && size == kSha256Bytes;
}

bool JwsKey::Impl::verify(std::string_view input, std::string_view signature) const noexcept {
  if (input.size() > kMaxInputBytes || signature.size() > kMaxInputBytes) return false;
  bool ok = false;
  switch (alg_) {
    case JwsAlgorithm::hs256:
      ok = verify_hmac(input, signature);
      break;
    case JwsAlgorithm::rs256:
    case JwsAlgorithm::es256:
      ok = verify_digest(input, signature);
      break;
    case JwsAlgorithm::eddsa:
      ok = verify_eddsa(input, signature);
      break;
  }
  if (!ok) ERR_clear_error();  // a failed verify leaves OpenSSL errors queued on this thread
  return ok;
}

bool JwsKey::Impl::verify_hmac(std::string_view input, std::string_view signature) const noexcept {
  if (signature.size() != kSha256Bytes) return false;
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int size = 0;
  if (HMAC(detail::sha256(), secret_.data(), static_cast<int>(secret_.size()), bytes_of(input),
           input.size(), mac.data(), &size) == nullptr ||
      size != kSha256Bytes) {
    return false;
  }
  return constant_time_equal(std::string_view(reinterpret_cast<const char*>(mac.data()), size),
                             signature);
}

bool JwsKey::Impl::verify_digest(std::string_view input,
                                 std::string_view signature) const noexcept {
  std::string der_storage;
  std::string_view sig = signature;
  if (alg_ == JwsAlgorithm::es256) {
    if (signature.size() != 2 * kEs256ComponentBytes) return false;
    auto der = ecdsa_raw_to_der(signature, kEs256ComponentBytes);
    if (!der) return false;
    der_storage = std::move(*der);
    sig = der_storage;
  } else if (signature.empty()) {
    return false;
  }
  std::array<unsigned char, kSha256Bytes> digest{};
  if (!sha256_digest(input, digest.data())) return false;

  ThreadContexts* cached = contexts();
  PkeyCtxPtr local;
  EVP_PKEY_CTX* ctx = nullptr;
  if (cached != nullptr) {
    if (!cached->verify) cached->verify = new_pkey_ctx(false);
    ctx = cached->verify.get();
  }
  if (ctx == nullptr) {
    local = new_pkey_ctx(false);
    ctx = local.get();
  }
  return ctx != nullptr &&
         EVP_PKEY_verify(ctx, bytes_of(sig), sig.size(), digest.data(), digest.size()) == 1;
}

bool JwsKey::Impl::verify_eddsa(std::string_view input, std::string_view signature) const noexcept {
  if (signature.size() != 64) return false;
  ThreadContexts* cached = contexts();
  if (cached != nullptr) {
    if (!cached->eddsa_verify) {
      MdCtxPtr templ(EVP_MD_CTX_new());
      if (templ && EVP_DigestVerifyInit_ex(templ.get(), nullptr, nullptr, nullptr, nullptr,
                                           pkey_.get(), nullptr) == 1) {
        cached->eddsa_verify = std::move(templ);
        cached->eddsa_work.reset(EVP_MD_CTX_new());
      }
    }
    if (cached->eddsa_verify && cached->eddsa_work &&
        EVP_MD_CTX_copy_ex(cached->eddsa_work.get(), cached->eddsa_verify.get()) == 1) {
      return EVP_DigestVerify(cached->eddsa_work.get(), bytes_of(signature), signature.size(),
                              bytes_of(input), input.size()) == 1;
    }
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  return ctx &&
         EVP_DigestVerifyInit_ex(ctx.get(), nullptr, nullptr, nullptr, nullptr, pkey_.get(),
                                 nullptr) == 1 &&
         EVP_DigestVerify(ctx.get(), bytes_of(signature), signature.size(), bytes_of(input),
                          input.size()) == 1;
}

Result<std::string> JwsKey::Impl::sign(std::string_view input) const {
  if (!has_private_) return Error(CryptoErrc::no_private_key);
  if (input.size() > kMaxInputBytes) return Error(CryptoErrc::openssl_failure, "input too large");
  if (alg_ == JwsAlgorithm::hs256) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
    unsigned int size = 0;
    if (HMAC(detail::sha256(), secret_.data(), static_cast<int>(secret_.size()), bytes_of(input),
             input.size(), mac.data(), &size) == nullptr) {
      return Error(CryptoErrc::openssl_failure, take_openssl_error());
    }
    return std::string(reinterpret_cast<const char*>(mac.data()), size);
  }
  if (alg_ == JwsAlgorithm::eddsa) {
    MdCtxPtr ctx(EVP_MD_CTX_new());
    std::size_t size = 0;
    if (!ctx ||
        EVP_DigestSignInit_ex(ctx.get(), nullptr, nullptr, nullptr, nullptr, pkey_.get(),
                              nullptr) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &size, bytes_of(input), input.size()) != 1) {
      return Error(CryptoErrc::openssl_failure, take_openssl_error());
    }
    std::string out(size, '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &size,
                       bytes_of(input), input.size()) != 1) {
      return Error(CryptoErrc::openssl_failure, take_openssl_error());
    }
    out.resize(size);
    return out;
  }

  std::array<unsigned char, kSha256Bytes> digest{};
  if (!sha256_digest(input, digest.data())) {
    return Error(CryptoErrc::openssl_failure, take_openssl_error());
  }
  ThreadContexts* cached = contexts();
  PkeyCtxPtr local;
  EVP_PKEY_CTX* ctx = nullptr;
  if (cached != nullptr) {
    if (!cached->sign) cached->sign = new_pkey_ctx(true);
    ctx = cached->sign.get();
  }
  if (ctx == nullptr) {
    local = new_pkey_ctx(true);
    ctx = local.get();
  }
  std::size_t size = 0;
  if (ctx == nullptr || EVP_PKEY_sign(ctx, nullptr, &size, digest.data(), digest.size()) != 1) {
    return Error(CryptoErrc::openssl_failure, take_openssl_error());
  }
  std::string out(size, '\0');
  if (EVP_PKEY_sign(ctx, reinterpret_cast<unsigned char*>(out.data()), &size, digest.data(),
                    digest.size()) != 1) {
    return Error(CryptoErrc::openssl_failure, take_openssl_error());
  }
  out.resize(size);
  if (alg_ == JwsAlgorithm::es256) {
    auto raw = ecdsa_der_to_raw(out, kEs256ComponentBytes);
    if (!raw) return Error(CryptoErrc::openssl_failure, "unexpected ECDSA signature encoding");
    return std::move(*raw);
  }
  return out;
}

namespace {

// Checks that `pkey` is what `alg` needs.
Result<void> check_key(JwsAlgorithm alg, EVP_PKEY* pkey) {
  switch (alg) {
    case JwsAlgorithm::rs256:
      if (EVP_PKEY_is_a(pkey, "RSA") != 1) return Error(CryptoErrc::invalid_key, "not an RSA key");
      if (EVP_PKEY_get_bits(pkey) < JwsKey::kMinRsaBits) {
        return Error(CryptoErrc::weak_key, "RSA keys must have at least 2048 bits");
      }
      return ok_result();
    case JwsAlgorithm::es256: {
      if (EVP_PKEY_is_a(pkey, "EC") != 1) return Error(CryptoErrc::invalid_key, "not an EC key");
      std::array<char, 64> group{};
      std::size_t length = 0;
      if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group.data(),
                                         group.size(), &length) != 1) {
        return Error(CryptoErrc::invalid_key, "EC key without a named curve");
      }
      const std::string_view name(group.data(), length);
      if (name != "prime256v1" && name != "P-256" && name != "secp256r1") {
        return Error(CryptoErrc::invalid_key, "ES256 needs a P-256 key");
      }
      return ok_result();
    }
    case JwsAlgorithm::eddsa:
      if (EVP_PKEY_is_a(pkey, "ED25519") != 1) {
        return Error(CryptoErrc::invalid_key, "not an Ed25519 key");
      }
      return ok_result();
    case JwsAlgorithm::hs256:
      break;
  }
  return Error(CryptoErrc::wrong_algorithm, "HS256 keys are secrets, not key pairs");
}

Result<PkeyPtr> generate_pkey(JwsAlgorithm alg, int rsa_bits) {
  const char* type = alg == JwsAlgorithm::rs256   ? "RSA"
                     : alg == JwsAlgorithm::es256 ? "EC"
                                                  : "ED25519";
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1) {
    return Error(CryptoErrc::openssl_failure, take_openssl_error());
  }
  if (alg == JwsAlgorithm::rs256 && EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), rsa_bits) != 1) {
    return Error(CryptoErrc::openssl_failure, take_openssl_error());
  }
  if (alg == JwsAlgorithm::es256 && EVP_PKEY_CTX_set_group_name(ctx.get(), "P-256") != 1) {
    return Error(CryptoErrc::openssl_failure, take_openssl_error());
  }
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_generate(ctx.get(), &raw) != 1 || raw == nullptr) {
    return Error(CryptoErrc::openssl_failure, take_openssl_error());
  }
  return PkeyPtr(raw);
}

BioPtr memory_bio(std::string_view pem) {
  if (pem.size() > static_cast<std::size_t>(INT_MAX)) return nullptr;
  return BioPtr(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

Result<std::string> bio_contents(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  if (size <= 0 || data == nullptr) return Error(CryptoErrc::openssl_failure, "empty PEM output");
  return std::string(data, static_cast<std::size_t>(size));
}

}  // namespace

Result<JwsKey> JwsKey::generate(JwsAlgorithm alg, int rsa_bits) {
  if (alg == JwsAlgorithm::hs256) {
    std::string secret(kGeneratedHmacBytes, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(secret.data()),
                   static_cast<int>(secret.size())) != 1) {
      return Error(CryptoErrc::openssl_failure, take_openssl_error());
    }
    return JwsKey(std::make_shared<Impl>(std::move(secret)));
  }
  if (alg == JwsAlgorithm::rs256 && rsa_bits < kMinRsaBits) {
    return Error(CryptoErrc::weak_key, "RSA keys must have at least 2048 bits");
  }
  auto pkey = generate_pkey(alg, rsa_bits);
  if (!pkey) return pkey.take_error();
  return JwsKey(std::make_shared<Impl>(alg, std::move(*pkey), true));
}

Result<JwsKey> JwsKey::from_private_pem(JwsAlgorithm alg, std::string_view pem) {
  if (alg == JwsAlgorithm::hs256) return Error(CryptoErrc::wrong_algorithm, "HS256 has no PEM");
  auto bio = memory_bio(pem);
  if (!bio) return Error(CryptoErrc::invalid_key, "PEM too large");
  PkeyPtr pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr));
  if (!pkey) {
    return Error(CryptoErrc::invalid_key, "unreadable private key PEM: " + take_openssl_error());
  }
  if (auto checked = check_key(alg, pkey.get()); !checked) return checked.take_error();
  return JwsKey(std::make_shared<Impl>(alg, std::move(pkey), true));
}

Result<JwsKey> JwsKey::from_public_pem(JwsAlgorithm alg, std::string_view pem) {
  if (alg == JwsAlgorithm::hs256) return Error(CryptoErrc::wrong_algorithm, "HS256 has no PEM");
  auto bio = memory_bio(pem);
  if (!bio) return Error(CryptoErrc::invalid_key, "PEM too large");
  PkeyPtr pkey(PEM_read_bio_PUBKEY(bio.get(), nullptr, no_passphrase, nullptr));
  if (!pkey) {
    return Error(CryptoErrc::invalid_key, "unreadable public key PEM: " + take_openssl_error());
  }
  if (auto checked = check_key(alg, pkey.get()); !checked) return checked.take_error();
  return JwsKey(std::make_shared<Impl>(alg, std::move(pkey), false));
}

Result<JwsKey> JwsKey::hmac(std::string_view secret, bool allow_insecure) {
  if (secret.empty()) return Error(CryptoErrc::weak_key, "the HMAC secret is empty");
  if (secret.size() > kMaxInputBytes) return Error(CryptoErrc::invalid_key, "HMAC secret too long");
  if (!allow_insecure) {
    for (const auto known : kWellKnownSecrets) {
      if (secret == known) {
        return Error(CryptoErrc::weak_key, "the HMAC secret is a well-known default");
      }
    }
    if (secret.size() < kMinHmacSecretBytes) {
      return Error(CryptoErrc::weak_key, "the HMAC secret must be at least 32 bytes");
    }
  }
  return JwsKey(std::make_shared<Impl>(std::string(secret)));
}

JwsAlgorithm JwsKey::algorithm() const noexcept {
  return impl_->alg();
}

bool JwsKey::can_sign() const noexcept {
  return impl_->has_private();
}

int JwsKey::bits() const noexcept {
  if (impl_->alg() == JwsAlgorithm::hs256) return static_cast<int>(impl_->secret().size() * 8);
  return impl_->alg() == JwsAlgorithm::rs256 ? EVP_PKEY_get_bits(impl_->pkey()) : 256;
}

Result<std::string> JwsKey::private_pem() const {
  if (impl_->alg() == JwsAlgorithm::hs256) return Error(CryptoErrc::wrong_algorithm);
  if (!impl_->has_private()) return Error(CryptoErrc::no_private_key);
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PKCS8PrivateKey(bio.get(), impl_->pkey(), nullptr, nullptr, 0, nullptr,
                                            nullptr) != 1) {
    return Error(CryptoErrc::openssl_failure, take_openssl_error());
  }
  return bio_contents(bio.get());
}

Result<std::string> JwsKey::public_pem() const {
  if (impl_->alg() == JwsAlgorithm::hs256) return Error(CryptoErrc::wrong_algorithm);
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), impl_->pkey()) != 1) {
    return Error(CryptoErrc::openssl_failure, take_openssl_error());
  }
  return bio_contents(bio.get());
}

Result<std::string> JwsKey::sign(std::string_view signing_input) const {
  return impl_->sign(signing_input);
}

bool JwsKey::verify(std::string_view signing_input, std::string_view signature) const noexcept {
  return impl_->verify(signing_input, signature);
}

const EVP_PKEY* JwsKey::native_handle() const noexcept {
  return impl_->pkey();
}

}  // namespace authsvc::crypto
