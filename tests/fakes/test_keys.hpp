#pragma once

#include <stdexcept>
#include <string>

#include "common/clock.hpp"
#include "crypto/jwk.hpp"
#include "crypto/jws_key.hpp"
#include "tokens/key_store.hpp"

namespace authsvc::test {

// Keys generated once per test binary (RSA generation is slow) and never written to the
// repository. `index` selects one of several independent keys of the same algorithm.
inline const crypto::JwsKey& fixture_key(crypto::JwsAlgorithm alg, int index = 0) {
  static const auto make = [](crypto::JwsAlgorithm a) {
    auto key = crypto::JwsKey::generate(a);
    if (!key) throw std::runtime_error("fixture key generation failed: " + key.error().describe());
    return std::move(*key);
  };
  using A = crypto::JwsAlgorithm;
  switch (alg) {
    case A::rs256: {
      static const crypto::JwsKey k0 = make(A::rs256);
      if (index == 0) return k0;
      static const crypto::JwsKey k1 = make(A::rs256);
      return k1;
    }
    case A::es256: {
      static const crypto::JwsKey k0 = make(A::es256);
      if (index == 0) return k0;
      static const crypto::JwsKey k1 = make(A::es256);
      return k1;
    }
    case A::eddsa: {
      static const crypto::JwsKey k0 = make(A::eddsa);
      if (index == 0) return k0;
      static const crypto::JwsKey k1 = make(A::eddsa);
      return k1;
    }
    case A::hs256:
      break;
  }
  static const crypto::JwsKey h0 = make(A::hs256);
  if (index == 0) return h0;
  static const crypto::JwsKey h1 = make(A::hs256);
  return h1;
}

// A 32+ byte HS256 secret for tests.
inline const std::string& fixture_hmac_secret() {
  static const std::string secret = "test-secret-of-forty-two-bytes-0123456789";
  return secret;
}

// `key` as a signing_key row (kid = its thumbprint), active unless retired_at is given.
inline tokens::StoredKey stored_key(const crypto::JwsKey& key, TimePoint created_at,
                                    std::optional<TimePoint> retired_at = std::nullopt,
                                    std::optional<TimePoint> not_after = std::nullopt) {
  auto kid = crypto::jwk_thumbprint(key);
  auto pem = key.private_pem();
  if (!kid || !pem) throw std::runtime_error("fixture key cannot be stored");
  return tokens::StoredKey{*kid,       std::string(crypto::jws_algorithm_name(key.algorithm())),
                           *pem,       created_at,
                           retired_at, not_after};
}

}  // namespace authsvc::test
