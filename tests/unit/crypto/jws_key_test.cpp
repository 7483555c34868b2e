// JwsKey: generation, PEM, sign/verify for RS256, ES256, EdDSA, HS256.
#include "crypto/jws_key.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <atomic>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "crypto/base64url.hpp"
#include "crypto/ecdsa_signature.hpp"
#include "fakes/test_keys.hpp"

namespace authsvc::crypto {
namespace {

using test::fixture_key;

const JwsAlgorithm kAsymmetric[] = {JwsAlgorithm::rs256, JwsAlgorithm::es256, JwsAlgorithm::eddsa};

std::string b64d(std::string_view text) {
  auto decoded = base64url_decode(text);
  EXPECT_TRUE(decoded.has_value()) << text;
  return decoded.value_or("");
}

// PEM of a raw OpenSSL key made here (keys of the wrong kind or size).
std::string pem_of(EVP_PKEY* pkey, const EVP_CIPHER* cipher = nullptr, const char* pass = nullptr) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PKCS8PrivateKey(bio, pkey, cipher, pass, pass ? static_cast<int>(strlen(pass)) : 0,
                                nullptr, nullptr);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<std::size_t>(size));
  BIO_free(bio);
  return out;
}

TEST(JwsKey, SignsAndVerifiesWithEveryAlgorithm) {
  for (const auto alg :
       {JwsAlgorithm::rs256, JwsAlgorithm::es256, JwsAlgorithm::eddsa, JwsAlgorithm::hs256}) {
    const auto& key = fixture_key(alg);
    EXPECT_EQ(key.algorithm(), alg);
    EXPECT_TRUE(key.can_sign());
    const std::string input = "eyJhbGciOiJ4In0.eyJzdWIiOiJ4In0";
    auto signature = key.sign(input);
    ASSERT_TRUE(signature.ok()) << signature.error().describe();
    EXPECT_TRUE(key.verify(input, *signature)) << jws_algorithm_name(alg);
    // Twice, so the cached per-thread contexts are reused.
    EXPECT_TRUE(key.verify(input, *signature));
    EXPECT_FALSE(key.verify(input + "x", *signature));
    std::string flipped = *signature;
    flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 0x01);
    EXPECT_FALSE(key.verify(input, flipped));
    EXPECT_FALSE(key.verify(input, ""));
    EXPECT_FALSE(key.verify(input, signature->substr(0, signature->size() - 1)));
    EXPECT_FALSE(fixture_key(alg, 1).verify(input, *signature)) << "another key of the same alg";
    // And the verifier still works after failures.
    EXPECT_TRUE(key.verify(input, *signature));
  }
}

TEST(JwsKey, SignatureSizes) {
  EXPECT_EQ(fixture_key(JwsAlgorithm::rs256).sign("x")->size(), 256u);
  EXPECT_EQ(fixture_key(JwsAlgorithm::es256).sign("x")->size(), 64u);
  EXPECT_EQ(fixture_key(JwsAlgorithm::eddsa).sign("x")->size(), 64u);
  EXPECT_EQ(fixture_key(JwsAlgorithm::hs256).sign("x")->size(), 32u);
  EXPECT_EQ(fixture_key(JwsAlgorithm::rs256).bits(), 2048);
  EXPECT_EQ(fixture_key(JwsAlgorithm::es256).bits(), 256);
}

TEST(JwsKey, Es256RejectsDerZeroAndWrongLengthSignatures) {
  const auto& key = fixture_key(JwsAlgorithm::es256);
  auto signature = key.sign("input");
  ASSERT_TRUE(signature.ok());
  auto der = ecdsa_raw_to_der(*signature);
  ASSERT_TRUE(der.has_value());
  EXPECT_FALSE(key.verify("input", *der)) << "DER is not the JWS encoding";
  EXPECT_FALSE(key.verify("input", std::string(64, '\0'))) << "CVE-2022-21449 psychic signature";
  EXPECT_FALSE(key.verify("input", *signature + std::string(1, '\0')));
  EXPECT_FALSE(key.verify("input", std::string(1, '\0') + *signature));
}

TEST(JwsKey, RejectsWeakRsaKeys) {
  auto generated = JwsKey::generate(JwsAlgorithm::rs256, 1024);
  ASSERT_FALSE(generated.ok());
  EXPECT_TRUE(generated.error().is(CryptoErrc::weak_key));

  EVP_PKEY* small = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(1024));
  ASSERT_NE(small, nullptr);
  auto loaded = JwsKey::from_private_pem(JwsAlgorithm::rs256, pem_of(small));
  EVP_PKEY_free(small);
  ASSERT_FALSE(loaded.ok());
  EXPECT_TRUE(loaded.error().is(CryptoErrc::weak_key));
}

TEST(JwsKey, PrivatePemRoundTripIsPkcs8) {
  for (const auto alg : kAsymmetric) {
    const auto& key = fixture_key(alg);
    auto pem = key.private_pem();
    ASSERT_TRUE(pem.ok()) << pem.error().describe();
    EXPECT_TRUE(pem->starts_with("-----BEGIN PRIVATE KEY-----\n")) << *pem;
    auto loaded = JwsKey::from_private_pem(alg, *pem);
    ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
    EXPECT_TRUE(loaded->can_sign());
    auto signature = loaded->sign("payload");
    ASSERT_TRUE(signature.ok());
    EXPECT_TRUE(key.verify("payload", *signature)) << jws_algorithm_name(alg);
    EXPECT_EQ(loaded->private_pem().value(), *pem);
  }
}

TEST(JwsKey, PublicPemGivesAVerifyOnlyKey) {
  for (const auto alg : kAsymmetric) {
    const auto& key = fixture_key(alg);
    auto pem = key.public_pem();
    ASSERT_TRUE(pem.ok());
    EXPECT_TRUE(pem->starts_with("-----BEGIN PUBLIC KEY-----\n"));
    auto verify_only = JwsKey::from_public_pem(alg, *pem);
    ASSERT_TRUE(verify_only.ok()) << verify_only.error().describe();
    EXPECT_FALSE(verify_only->can_sign());
    auto signature = key.sign("data");
    EXPECT_TRUE(verify_only->verify("data", *signature));
    auto refused = verify_only->sign("data");
    ASSERT_FALSE(refused.ok());
    EXPECT_TRUE(refused.error().is(CryptoErrc::no_private_key));
    EXPECT_TRUE(verify_only->private_pem().error().is(CryptoErrc::no_private_key));
  }
}

TEST(JwsKey, RefusesKeysOfAnotherAlgorithm) {
  const auto es_pem = fixture_key(JwsAlgorithm::es256).private_pem().value();
  const auto ed_pem = fixture_key(JwsAlgorithm::eddsa).private_pem().value();
  const auto rs_pem = fixture_key(JwsAlgorithm::rs256).private_pem().value();
  EXPECT_TRUE(
      JwsKey::from_private_pem(JwsAlgorithm::rs256, es_pem).error().is(CryptoErrc::invalid_key));
  EXPECT_TRUE(
      JwsKey::from_private_pem(JwsAlgorithm::es256, ed_pem).error().is(CryptoErrc::invalid_key));
  EXPECT_TRUE(
      JwsKey::from_private_pem(JwsAlgorithm::eddsa, rs_pem).error().is(CryptoErrc::invalid_key));
  EXPECT_TRUE(JwsKey::from_private_pem(JwsAlgorithm::hs256, rs_pem)
                  .error()
                  .is(CryptoErrc::wrong_algorithm));

  EVP_PKEY* p384 = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384");
  ASSERT_NE(p384, nullptr);
  auto loaded = JwsKey::from_private_pem(JwsAlgorithm::es256, pem_of(p384));
  EVP_PKEY_free(p384);
  EXPECT_TRUE(loaded.error().is(CryptoErrc::invalid_key));
}

TEST(JwsKey, RefusesGarbageAndEncryptedPem) {
  for (const char* bad :
       {"", "not a pem", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"}) {
    EXPECT_TRUE(
        JwsKey::from_private_pem(JwsAlgorithm::es256, bad).error().is(CryptoErrc::invalid_key));
    EXPECT_TRUE(
        JwsKey::from_public_pem(JwsAlgorithm::es256, bad).error().is(CryptoErrc::invalid_key));
  }
  EVP_PKEY* ec = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  ASSERT_NE(ec, nullptr);
  const std::string encrypted = pem_of(ec, EVP_aes_256_cbc(), "password");
  EVP_PKEY_free(ec);
  ASSERT_NE(encrypted.find("ENCRYPTED"), std::string::npos);
  EXPECT_TRUE(
      JwsKey::from_private_pem(JwsAlgorithm::es256, encrypted).error().is(CryptoErrc::invalid_key));
}

TEST(JwsKey, HmacSecretPolicy) {
  EXPECT_TRUE(JwsKey::hmac("top_secret").error().is(CryptoErrc::weak_key));
  EXPECT_TRUE(JwsKey::hmac("secret").error().is(CryptoErrc::weak_key));
  EXPECT_TRUE(JwsKey::hmac(std::string(31, 'k')).error().is(CryptoErrc::weak_key));
  EXPECT_TRUE(JwsKey::hmac(std::string(32, 'k')).ok());
  EXPECT_TRUE(JwsKey::hmac("top_secret", /*allow_insecure=*/true).ok());
  EXPECT_TRUE(JwsKey::hmac("", true).error().is(CryptoErrc::weak_key));
  auto key = JwsKey::hmac(std::string(32, 'k'));
  EXPECT_TRUE(key->private_pem().error().is(CryptoErrc::wrong_algorithm));
  EXPECT_TRUE(key->public_pem().error().is(CryptoErrc::wrong_algorithm));
  EXPECT_EQ(key->native_handle(), nullptr);
}

// RFC 7515 appendix A.1: the HS256 example.
TEST(JwsKey, Rfc7515HmacExample) {
  const std::string secret = b64d(
      "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow");
  const std::string input =
      "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9."
      "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVl"
      "fQ";
  auto key = JwsKey::hmac(secret);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(base64url_encode(key->sign(input).value()),
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
  EXPECT_TRUE(key->verify(input, b64d("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")));
}

// RFC 8037 appendix A.1 and A.4: the Ed25519 example (deterministic signature).
TEST(JwsKey, Rfc8037Ed25519Example) {
  const std::string d = b64d("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A");
  EVP_PKEY* raw = EVP_PKEY_new_raw_private_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(d.data()), d.size());
  ASSERT_NE(raw, nullptr);
  auto key = JwsKey::from_private_pem(JwsAlgorithm::eddsa, pem_of(raw));
  EVP_PKEY_free(raw);
  ASSERT_TRUE(key.ok()) << key.error().describe();
  const std::string input = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc";
  EXPECT_EQ(
      base64url_encode(key->sign(input).value()),
      "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg");
}

TEST(JwsKey, ConcurrentVerifyAndKeyTurnoverAreSafe) {
  // Many threads, several keys, keys created and destroyed while others verify: exercises the
  // per-thread context cache (ASan watches for use-after-free).
  std::vector<std::pair<JwsKey, std::string>> signed_inputs;
  for (const auto alg : kAsymmetric) {
    signed_inputs.emplace_back(fixture_key(alg), fixture_key(alg).sign("shared input").value());
  }
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        for (const auto& [key, signature] : signed_inputs) {
          if (!key.verify("shared input", signature)) ++failures;
        }
        auto temporary = JwsKey::generate(JwsAlgorithm::es256);
        if (!temporary || !temporary->verify("x", temporary->sign("x").value())) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace authsvc::crypto
