// Fuzz target for everything that parses untrusted token bytes: base64url, JOSE JSON, compact JWS,
// claims validation and the TokenVerifier of every algorithm. Built two ways:
//   - with clang++ -fsanitize=fuzzer,address (CMake option AUTH_FUZZ): libFuzzer drives it;
//   - with the normal g++ test build: jws_fuzz_driver.cpp replays the corpus plus deterministic
//     mutations (CTest label `fuzz`).
// Any crash, sanitizer report or violated invariant (__builtin_trap) is a finding.
#include <boost/asio/io_context.hpp>
#include <boost/json/serialize.hpp>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/fuzz_require.hpp"
#include "common/ids.hpp"
#include "crypto/base64url.hpp"
#include "crypto/jose_json.hpp"
#include "crypto/jws.hpp"
#include "fakes/fake_clock.hpp"
#include "fakes/fake_key_store.hpp"
#include "fakes/test_keys.hpp"
#include "support/async.hpp"
#include "tokens/key_ring.hpp"
#include "tokens/token_errc.hpp"
#include "tokens/token_verifier.hpp"

namespace {

using namespace authsvc;  // NOLINT(google-build-using-namespace)
using fuzz::require;

// The HS256 secret of the fuzz deployment; the seed tokens in corpus/jws are signed with it, at
// the fake clock's time (2030-01-01T00:00:00Z), so mutations reach claims validation.
constexpr std::string_view kFuzzSecret = "fuzz-secret-0123456789abcdef0123456789";

struct Deployment {
  explicit Deployment(crypto::JwsAlgorithm alg) {
    if (alg == crypto::JwsAlgorithm::hs256) {
      ring = tokens::KeyRing::hmac(clock, kFuzzSecret).value();
    } else {
      require(store.add(test::stored_key(test::fixture_key(alg), clock.now())).ok());
      tokens::KeyRingOptions options;
      options.algorithm = alg;
      ring = std::make_unique<tokens::KeyRing>(clock, store, options);
      boost::asio::io_context io;
      require(test::run_sync(io, ring->reload()).ok());
    }
    verifier = std::make_unique<tokens::TokenVerifier>(
        clock, *ring, tokens::VerifierOptions{"https://auth.test"});
  }
  test::FakeClock clock;
  test::FakeKeyStore store;
  std::unique_ptr<tokens::KeyRing> ring;
  std::unique_ptr<tokens::TokenVerifier> verifier;
};

struct Fixture {
  std::vector<std::unique_ptr<Deployment>> deployments;
  crypto::JwsKey hmac = crypto::JwsKey::hmac(kFuzzSecret).value();
  Fixture() {
    for (const auto alg : {crypto::JwsAlgorithm::hs256, crypto::JwsAlgorithm::es256,
                           crypto::JwsAlgorithm::eddsa, crypto::JwsAlgorithm::rs256}) {
      deployments.push_back(std::make_unique<Deployment>(alg));
    }
  }
};

void check_verify_result(const Result<tokens::TokenClaims>& result) {
  if (result) {
    // Whatever verified must satisfy the claims contract.
    require(!result->jti.empty());
    require(is_uuid(result->sub));
    return;
  }
  // Every refusal is a token error with a client text: never an infrastructure error, never empty.
  const auto reply = tokens::token_error_reply(result.error());
  require(reply.has_value());
  require(!reply->msg.empty());
  require(reply->status == 401 || reply->status == 422);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Fixture fixture;
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  // base64url: whatever decodes re-encodes to exactly the same text (one spelling per byte string).
  if (auto decoded = crypto::base64url_decode(input)) {
    require(crypto::base64url_encode(*decoded) == input);
  }

  // JOSE JSON: an error always has a text; a success is an object.
  std::string json_error;
  if (!crypto::parse_jose_object(input, json_error)) require(!json_error.empty());

  // The input as a token, against every algorithm.
  for (const auto& deployment : fixture.deployments) {
    check_verify_result(deployment->verifier->verify(input));
  }

  // The input as the claims set of a validly signed HS256 token: reaches claims validation.
  if (size <= 8192) {
    const std::string signing_input = crypto::base64url_encode(R"({"alg":"HS256","typ":"JWT"})") +
                                      "." + crypto::base64url_encode(input);
    const std::string token =
        signing_input + "." + crypto::base64url_encode(fixture.hmac.sign(signing_input).value());
    auto result = fixture.deployments.front()->verifier->verify(token);
    check_verify_result(result);
    if (!result) {
      // A correctly signed token can only fail on its payload.
      const auto code = static_cast<tokens::TokenErrc>(result.error().code.value());
      require(code != tokens::TokenErrc::bad_signature && code != tokens::TokenErrc::unknown_kid &&
              code != tokens::TokenErrc::alg_not_allowed);
    }
  }
  return 0;
}
