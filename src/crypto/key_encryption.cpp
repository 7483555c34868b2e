#include "crypto/key_encryption.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

#include "crypto/base64url.hpp"
#include "crypto/sha256.hpp"

namespace authsvc::crypto {
namespace {

constexpr std::string_view kScheme = "aes256gcm:";
constexpr std::size_t kKeyBytes = 32;
constexpr std::size_t kNonceBytes = 12;
constexpr std::size_t kTagBytes = 16;

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

std::optional<std::string> from_hex(std::string_view text) {
  if (text.size() % 2 != 0) return std::nullopt;
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (std::size_t i = 0; i < text.size(); i += 2) {
    const int high = digit(text[i]);
    const int low = digit(text[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    out.push_back(static_cast<char>(high * 16 + low));
  }
  return out;
}

std::optional<std::string> from_base64_any(std::string_view text) {
  std::string url(text);
  while (!url.empty() && url.back() == '=') url.pop_back();
  std::replace(url.begin(), url.end(), '+', '-');
  std::replace(url.begin(), url.end(), '/', '_');
  return base64url_decode(url);
}

const unsigned char* bytes_of(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

std::optional<KeyEncryptionKey> KeyEncryptionKey::parse(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.remove_suffix(1);
  }
  auto bytes = text.size() == 2 * kKeyBytes ? from_hex(text) : std::nullopt;
  if (!bytes) bytes = from_base64_any(text);
  if (!bytes || bytes->size() != kKeyBytes) return std::nullopt;
  auto id = sha256_hex(*bytes).substr(0, 16);
  return KeyEncryptionKey(std::move(*bytes), std::move(id));
}

bool KeyEncryption::is_sealed(std::string_view stored) noexcept {
  return stored.starts_with(kScheme);
}

bool KeyEncryption::is_current(std::string_view stored) const noexcept {
  if (keys_.empty() || !is_sealed(stored)) return false;
  stored.remove_prefix(kScheme.size());
  return stored.starts_with(keys_.front().id() + ":");
}

std::string KeyEncryption::seal(std::string_view plaintext, std::string_view context) const {
  const auto& key = keys_.front();
  std::string nonce(kNonceBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(nonce.data()), kNonceBytes) != 1) {
    throw std::runtime_error("no randomness for a nonce");
  }
  CipherContext ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  std::string ciphertext(plaintext.size(), '\0');
  std::string tag(kTagBytes, '\0');
  int length = 0;
  int final_length = 0;
  const bool ok =
      ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceBytes, nullptr) == 1 &&
      EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, bytes_of(key.bytes()), bytes_of(nonce)) ==
          1 &&
      EVP_EncryptUpdate(ctx.get(), nullptr, &length, bytes_of(context),
                        static_cast<int>(context.size())) == 1 &&
      EVP_EncryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(ciphertext.data()), &length,
                        bytes_of(plaintext), static_cast<int>(plaintext.size())) == 1 &&
      EVP_EncryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(ciphertext.data()) + length,
                          &final_length) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, tag.data()) == 1;
  if (!ok) throw std::runtime_error("AES-256-GCM encryption failed");
  return std::string(kScheme) + key.id() + ":" + base64url_encode(nonce + ciphertext + tag);
}

Result<std::string> KeyEncryption::open(std::string_view sealed, std::string_view context) const {
  if (!is_sealed(sealed)) return Error(InfraErrc::internal, "not a sealed value");
  sealed.remove_prefix(kScheme.size());
  const auto colon = sealed.find(':');
  if (colon == std::string_view::npos) return Error(InfraErrc::internal, "malformed sealed value");
  const auto id = sealed.substr(0, colon);
  const auto key = std::find_if(keys_.begin(), keys_.end(),
                                [&](const KeyEncryptionKey& k) { return k.id() == id; });
  if (key == keys_.end()) {
    return Error(InfraErrc::internal,
                 "sealed with key-encryption key " + std::string(id) +
                     ", which is not configured (AUTH_KEY_ENCRYPTION_KEY[_PREVIOUS])");
  }
  const auto raw = base64url_decode(sealed.substr(colon + 1));
  if (!raw || raw->size() < kNonceBytes + kTagBytes) {
    return Error(InfraErrc::internal, "malformed sealed value");
  }
  const std::string_view all(*raw);
  const auto nonce = all.substr(0, kNonceBytes);
  const auto ciphertext = all.substr(kNonceBytes, all.size() - kNonceBytes - kTagBytes);
  std::string tag(all.substr(all.size() - kTagBytes));
  CipherContext ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  std::string plaintext(ciphertext.size(), '\0');
  int length = 0;
  int final_length = 0;
  const bool ok =
      ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceBytes, nullptr) == 1 &&
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, bytes_of(key->bytes()), bytes_of(nonce)) ==
          1 &&
      EVP_DecryptUpdate(ctx.get(), nullptr, &length, bytes_of(context),
                        static_cast<int>(context.size())) == 1 &&
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(plaintext.data()), &length,
                        bytes_of(ciphertext), static_cast<int>(ciphertext.size())) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) == 1 &&
      EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(plaintext.data()) + length,
                          &final_length) == 1;
  if (!ok) {
    return Error(InfraErrc::internal,
                 "a sealed signing key did not open: wrong key-encryption key or altered row");
  }
  return plaintext;
}

}  // namespace authsvc::crypto
