// Argon2id alone, at the default cost (m=19456 KiB, t=2, p=1): the ceiling that login and sign-up
// rates are compared with in bench/BENCHMARKS.md. One thread; the machine's rate is cores times.
#include <benchmark/benchmark.h>

#include "crypto/password_hasher.hpp"

namespace {

using authsvc::crypto::PasswordHasher;
using authsvc::crypto::PasswordHasherOptions;

const PasswordHasher& default_hasher() {
  static const PasswordHasher hasher{PasswordHasherOptions{}};
  return hasher;
}

void BM_PasswordHashArgon2id(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(default_hasher().hash("bench-password-1"));
}
BENCHMARK(BM_PasswordHashArgon2id)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_PasswordVerifyArgon2id(benchmark::State& state) {
  const std::string stored = default_hasher().hash("bench-password-1");
  for (auto _ : state) {
    const auto outcome = default_hasher().verify("bench-password-1", stored);
    if (!outcome.match) state.SkipWithError("no match");
  }
}
BENCHMARK(BM_PasswordVerifyArgon2id)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
