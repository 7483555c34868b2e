// JWS micro benchmarks: sign and verify per algorithm (signature only), issuing a token pair, and
// verifying a full access token (base64url, header and claims JSON, signature, claims checks).
//
// GCC 12 at -O3 reports false "potential null pointer dereference" inside Asio's io_context
// (used once here, to load the ring); the warning is silenced for this file only.
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <benchmark/benchmark.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <map>
#include <memory>
#include <stdexcept>

#include "crypto/jwk.hpp"
#include "crypto/jws.hpp"
#include "crypto/jws_key.hpp"
#include "tokens/key_ring.hpp"
#include "tokens/token_issuer.hpp"
#include "tokens/token_verifier.hpp"

namespace {

using namespace authsvc;  // NOLINT(google-build-using-namespace)
using crypto::JwsAlgorithm;

// A key store holding one key, as the signing_key table would.
class OneKeyStore final : public tokens::KeyStore {
 public:
  explicit OneKeyStore(tokens::StoredKey key) : key_(std::move(key)) {}
  boost::asio::awaitable<Result<std::vector<tokens::StoredKey>>> load_all() override {
    std::vector<tokens::StoredKey> keys(1, key_);
    co_return keys;
  }
  boost::asio::awaitable<Result<void>> insert(tokens::StoredKey) override { co_return ok_result(); }
  boost::asio::awaitable<Result<void>> rotate(std::string, TimePoint, TimePoint,
                                              tokens::StoredKey) override {
    co_return ok_result();
  }

 private:
  tokens::StoredKey key_;
};

struct Deployment {
  explicit Deployment(JwsAlgorithm alg) {
    if (alg == JwsAlgorithm::hs256) {
      ring = tokens::KeyRing::hmac(clock, "bench-secret-0123456789abcdef0123456789").value();
    } else {
      auto key = crypto::JwsKey::generate(alg).value();
      store = std::make_unique<OneKeyStore>(
          tokens::StoredKey{crypto::jwk_thumbprint(key).value(),
                            std::string(crypto::jws_algorithm_name(alg)),
                            key.private_pem().value(),
                            clock.now(),
                            {},
                            {}});
      tokens::KeyRingOptions options;
      options.algorithm = alg;
      ring = std::make_unique<tokens::KeyRing>(clock, *store, options);
      boost::asio::io_context io;
      auto loaded = boost::asio::co_spawn(io, ring->reload(), boost::asio::use_future);
      io.run();
      if (!loaded.get()) throw std::runtime_error("ring");
    }
    issuer = std::make_unique<tokens::TokenIssuer>(clock, *ring,
                                                   tokens::IssuerOptions{"https://auth.test"});
    verifier = std::make_unique<tokens::TokenVerifier>(
        clock, *ring, tokens::VerifierOptions{"https://auth.test"});
  }
  tokens::TokenPair issue() const {
    return issuer
        ->issue({"0b6e2a5c-2a59-4a54-9f3c-6a4c1d2b9e11",
                 "9c4f1f6e-7a53-4a8e-8c1b-3e2f4d5a6b7c",
                 {"admin", "user"},
                 false})
        .value();
  }

  SystemClock clock;
  std::unique_ptr<OneKeyStore> store;
  std::unique_ptr<tokens::KeyRing> ring;
  std::unique_ptr<tokens::TokenIssuer> issuer;
  std::unique_ptr<tokens::TokenVerifier> verifier;
};

Deployment& deployment(JwsAlgorithm alg) {
  static std::map<JwsAlgorithm, std::unique_ptr<Deployment>> all;
  auto& slot = all[alg];
  if (!slot) slot = std::make_unique<Deployment>(alg);
  return *slot;
}

JwsAlgorithm alg_of(const benchmark::State& state) {
  return static_cast<JwsAlgorithm>(state.range(0));
}

void set_label(benchmark::State& state) {
  state.SetLabel(std::string(crypto::jws_algorithm_name(alg_of(state))));
}

void BM_JwsSign(benchmark::State& state) {
  const auto signer = deployment(alg_of(state)).ring->signer().value();
  const std::string payload =
      R"({"fresh":false,"iat":1893456000,"nbf":1893456000,"exp":1893459600,"jti":"5d2c1b3a-1111-4222-8333-944455556666","type":"access","sub":"0b6e2a5c-2a59-4a54-9f3c-6a4c1d2b9e11","iss":"https://auth.test","sid":"9c4f1f6e-7a53-4a8e-8c1b-3e2f4d5a6b7c","roles":["admin","user"],"is_superuser":false})";
  for (auto _ : state) benchmark::DoNotOptimize(crypto::sign_jws(signer.key, signer.kid, payload));
  set_label(state);
}

void BM_JwsVerifySignature(benchmark::State& state) {
  const auto& d = deployment(alg_of(state));
  const auto token = d.issue().access.token;
  const auto parts = crypto::decode_jws(token).value();
  const auto key = d.ring->verifier(parts.kid()).value();
  for (auto _ : state) {
    if (!key.verify(parts.signing_input, parts.signature)) state.SkipWithError("verify failed");
  }
  set_label(state);
}

void BM_TokenIssuePair(benchmark::State& state) {
  const auto& d = deployment(alg_of(state));
  for (auto _ : state) benchmark::DoNotOptimize(d.issue());
  set_label(state);
}

void BM_TokenVerifyAccess(benchmark::State& state) {
  const auto& d = deployment(alg_of(state));
  const auto token = d.issue().access.token;
  for (auto _ : state) {
    auto claims = d.verifier->verify(token);
    if (!claims) state.SkipWithError("verify failed");
    benchmark::DoNotOptimize(claims);
  }
  set_label(state);
}

void BM_TokenRejectMalformed(benchmark::State& state) {
  const auto& d = deployment(alg_of(state));
  const std::string token = d.issue().access.token;
  const std::string broken = token.substr(0, token.size() - 3) + "A==";
  for (auto _ : state) benchmark::DoNotOptimize(d.verifier->verify(broken));
  set_label(state);
}

void all_algorithms(benchmark::internal::Benchmark* b) {
  for (const auto alg :
       {JwsAlgorithm::rs256, JwsAlgorithm::es256, JwsAlgorithm::eddsa, JwsAlgorithm::hs256}) {
    b->Arg(static_cast<int>(alg));
  }
}

BENCHMARK(BM_JwsSign)->Apply(all_algorithms);
BENCHMARK(BM_JwsVerifySignature)->Apply(all_algorithms);
BENCHMARK(BM_TokenIssuePair)->Apply(all_algorithms);
BENCHMARK(BM_TokenVerifyAccess)->Apply(all_algorithms);
BENCHMARK(BM_TokenRejectMalformed)->Arg(static_cast<int>(JwsAlgorithm::es256));

}  // namespace
