#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace authsvc::crypto {

// A key-encryption key (AUTH_KEY_ENCRYPTION_KEY): 32 bytes for AES-256-GCM, and its id, the first
// 8 bytes of its SHA-256 in hex, recorded with every value it seals so that a rotation knows which
// key opens which row.
class KeyEncryptionKey {
 public:
  // 64 hex digits, or base64 / base64url (padding optional) of exactly 32 bytes; nullopt else.
  static std::optional<KeyEncryptionKey> parse(std::string_view text);

  const std::string& id() const noexcept { return id_; }
  const std::string& bytes() const noexcept { return bytes_; }

 private:
  KeyEncryptionKey(std::string bytes, std::string id)
      : bytes_(std::move(bytes)), id_(std::move(id)) {}
  std::string bytes_;
  std::string id_;
};

// Signing keys at rest: `aes256gcm:<kek id>:<base64url(nonce || ciphertext || tag)>`, with a random
// 96-bit nonce per value and `context` (the key's kid) as associated data, so a sealed value copied
// onto another row does not open. The first key seals; every key opens what it sealed (rotation:
// the new key first, the previous ones after it, until `auth db upgrade` re-sealed every row).
class KeyEncryption {
 public:
  explicit KeyEncryption(std::vector<KeyEncryptionKey> keys) : keys_(std::move(keys)) {}

  static bool is_sealed(std::string_view stored) noexcept;
  std::string seal(std::string_view plaintext, std::string_view context) const;
  // The plaintext; an error when no configured key has the recorded id, or the value was altered.
  Result<std::string> open(std::string_view sealed, std::string_view context) const;
  // Whether `stored` is sealed by the first (current) key.
  bool is_current(std::string_view stored) const noexcept;

 private:
  std::vector<KeyEncryptionKey> keys_;
};

}  // namespace authsvc::crypto
