#pragma once
// Shared by the tokens tests: a ring over a fake store holding a fixture key, and token crafting.

#include <boost/asio/io_context.hpp>
#include <boost/json/serialize.hpp>
#include <memory>
#include <stdexcept>
#include <string>

#include "crypto/base64url.hpp"
#include "crypto/jwk.hpp"
#include "fakes/fake_clock.hpp"
#include "fakes/fake_key_store.hpp"
#include "fakes/test_keys.hpp"
#include "support/async.hpp"
#include "tokens/key_ring.hpp"
#include "tokens/token_issuer.hpp"
#include "tokens/token_verifier.hpp"

namespace authsvc::test {

inline constexpr const char* kIssuer = "https://auth.test";
inline constexpr const char* kUserId = "0b6e2a5c-2a59-4a54-9f3c-6a4c1d2b9e11";
inline constexpr const char* kSessionId = "9c4f1f6e-7a53-4a8e-8c1b-3e2f4d5a6b7c";

// One deployment: clock, store, ring (with fixture key 0 of `alg` as its active key), issuer and
// verifier.
struct Deployment {
  explicit Deployment(crypto::JwsAlgorithm alg, int key_index = 0, std::string issuer = kIssuer) {
    if (alg == crypto::JwsAlgorithm::hs256) {
      ring = tokens::KeyRing::hmac(clock, fixture_hmac_secret()).value();
    } else {
      auto added = store.add(stored_key(fixture_key(alg, key_index), clock.now()));
      if (!added) throw std::runtime_error("fixture store");
      tokens::KeyRingOptions options;
      options.algorithm = alg;
      ring = std::make_unique<tokens::KeyRing>(clock, store, options);
      auto loaded = run_sync(io, ring->reload());
      if (!loaded) throw std::runtime_error("fixture ring: " + loaded.error().describe());
    }
    issuer_ = std::make_unique<tokens::TokenIssuer>(clock, *ring, tokens::IssuerOptions{issuer});
    verifier_ =
        std::make_unique<tokens::TokenVerifier>(clock, *ring, tokens::VerifierOptions{issuer});
  }

  tokens::TokenPair issue(std::vector<std::string> roles = {"user"}, bool superuser = false) const {
    return issuer_->issue(tokens::IssueRequest{kUserId, kSessionId, std::move(roles), superuser})
        .value();
  }
  Result<tokens::TokenClaims> verify(std::string_view token) const {
    return verifier_->verify(token);
  }
  // The client text of a failed verification, "<ok>" on success.
  std::string error_of(std::string_view token) const {
    auto result = verify(token);
    return result ? "<ok>" : result.error().client_text;
  }
  std::string kid() const { return ring->signer() ? ring->signer()->kid : ""; }
  // Valid claims at the clock's now.
  boost::json::object claims() const {
    const auto now = clock.seconds();
    return boost::json::object{{"fresh", false},
                               {"iat", now},
                               {"nbf", now},
                               {"exp", now + 600},
                               {"jti", "5d2c1b3a-1111-4222-8333-944455556666"},
                               {"type", "access"},
                               {"sub", kUserId},
                               {"iss", kIssuer},
                               {"sid", kSessionId},
                               {"roles", boost::json::array{"user"}},
                               {"is_superuser", false}};
  }

  FakeClock clock;
  FakeKeyStore store;
  boost::asio::io_context io;
  std::unique_ptr<tokens::KeyRing> ring;
  std::unique_ptr<tokens::TokenIssuer> issuer_;
  std::unique_ptr<tokens::TokenVerifier> verifier_;
};

inline std::string b64(std::string_view bytes) {
  return crypto::base64url_encode(bytes);
}

// HEADER.PAYLOAD.SIGNATURE with the signature made by `key` over exactly these segments.
inline std::string craft(std::string_view header_json, std::string_view payload_json,
                         const crypto::JwsKey& key) {
  const std::string input = b64(header_json) + "." + b64(payload_json);
  return input + "." + b64(key.sign(input).value());
}
inline std::string craft(std::string_view header_json, const boost::json::object& payload,
                         const crypto::JwsKey& key) {
  return craft(header_json, boost::json::serialize(payload), key);
}

}  // namespace authsvc::test
