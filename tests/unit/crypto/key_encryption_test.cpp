// crypto::KeyEncryption: AES-256-GCM sealing of signing keys at rest.
#include "crypto/key_encryption.hpp"

#include <gtest/gtest.h>

namespace authsvc::crypto {
namespace {

const std::string kHexKey(64, 'a');
const std::string kOtherHexKey(64, 'b');

KeyEncryption encryption_with(std::vector<std::string> texts) {
  std::vector<KeyEncryptionKey> keys;
  for (const auto& text : texts) keys.push_back(KeyEncryptionKey::parse(text).value());
  return KeyEncryption(std::move(keys));
}

TEST(KeyEncryptionKey, ParsesHexAndBase64OfExactly32Bytes) {
  EXPECT_TRUE(KeyEncryptionKey::parse(kHexKey));
  EXPECT_TRUE(KeyEncryptionKey::parse(kHexKey + "\n")) << "a file's trailing newline";
  EXPECT_TRUE(KeyEncryptionKey::parse("qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqo="));  // base64
  EXPECT_TRUE(KeyEncryptionKey::parse("qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqo"));
  EXPECT_FALSE(KeyEncryptionKey::parse("short"));
  EXPECT_FALSE(KeyEncryptionKey::parse(std::string(62, 'a')));
  EXPECT_FALSE(KeyEncryptionKey::parse(std::string(64, 'g')));
  EXPECT_EQ(KeyEncryptionKey::parse(kHexKey)->id().size(), 16U);
  EXPECT_NE(KeyEncryptionKey::parse(kHexKey)->id(), KeyEncryptionKey::parse(kOtherHexKey)->id());
}

TEST(KeyEncryption, SealsAndOpensBoundToItsContext) {
  const auto encryption = encryption_with({kHexKey});
  const std::string secret =
      "-----BEGIN PRIVATE KEY-----\nMC4CAQAw...\n-----END PRIVATE KEY-----\n";
  const auto sealed = encryption.seal(secret, "kid-1");
  EXPECT_TRUE(KeyEncryption::is_sealed(sealed));
  EXPECT_TRUE(encryption.is_current(sealed));
  EXPECT_EQ(sealed.find("PRIVATE KEY"), std::string::npos);
  EXPECT_NE(encryption.seal(secret, "kid-1"), sealed) << "a fresh nonce every time";
  EXPECT_EQ(encryption.open(sealed, "kid-1").value(), secret);
  EXPECT_FALSE(encryption.open(sealed, "kid-2")) << "copied onto another row";

  auto tampered = sealed;
  tampered[tampered.size() - 3] = tampered[tampered.size() - 3] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(encryption.open(tampered, "kid-1"));
  EXPECT_FALSE(encryption.open("aes256gcm:nonsense", "kid-1"));
  EXPECT_FALSE(KeyEncryption::is_sealed(secret));
}

TEST(KeyEncryption, TheCurrentKeySealsAndPreviousKeysStillOpen) {
  const auto old_only = encryption_with({kHexKey});
  const auto rotated = encryption_with({kOtherHexKey, kHexKey});
  const auto sealed_before = old_only.seal("pem", "kid");
  EXPECT_EQ(rotated.open(sealed_before, "kid").value(), "pem");
  EXPECT_FALSE(rotated.is_current(sealed_before));
  const auto sealed_after = rotated.seal("pem", "kid");
  EXPECT_TRUE(rotated.is_current(sealed_after));
  const auto error = old_only.open(sealed_after, "kid");
  ASSERT_FALSE(error);
  EXPECT_NE(error.error().describe().find("not configured"), std::string::npos);
}

}  // namespace
}  // namespace authsvc::crypto
