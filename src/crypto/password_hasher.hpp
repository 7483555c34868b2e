#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "common/bounded_work_pool.hpp"
#include "common/result.hpp"

namespace authsvc::crypto {

// Argon2id cost. libsodium only creates p=1 hashes (it verifies any p). Defaults: OWASP's minimum
// (19 MiB, t=2).
struct Argon2Params {
  std::uint32_t memory_kib = 19456;
  std::uint32_t iterations = 2;
};

struct PasswordHasherOptions {
  Argon2Params argon2{};
  // While the original Flask service still reads the same database, write Werkzeug
  // `pbkdf2:sha256:<werkzeug_pbkdf2_iterations>$salt$hex` hashes instead of Argon2id.
  bool write_werkzeug_pbkdf2 = false;
  std::uint32_t werkzeug_pbkdf2_iterations = 600000;
};

struct VerifyOutcome {
  bool match = false;
  // Only ever true together with `match`: the caller should store hash(password) in place of the
  // stored hash.
  bool needs_rehash = false;
};

// Hashes and verifies passwords. The synchronous functions are CPU-heavy (tens of milliseconds): on
// the request path use the *_async wrappers, which run them on a BoundedWorkPool. Nothing here
// logs: neither passwords nor hashes ever reach a log.
//
// Stored formats that verify:
//   $argon2id$v=19$m=..,t=..,p=..$salt$hash             libsodium, any p (also $argon2i$, always
//   re-hashed) pbkdf2[:<sha1|sha224|sha256|sha384|sha512>[:<iterations>]]$salt$hex   Werkzeug;
//   omitted hash: sha256,
//                                                         omitted iterations: 260000
//                                                         (Werkzeug 2.0-2.2's default)
//   scrypt[:<n>:<r>:<p>]$salt$hex                         Werkzeug >= 2.3; omitted: 32768:8:1,
//   dklen 64
// Anything else, malformed or beyond the cost caps below, is "no match" (never a crash, never an
// exception).
//
// needs_rehash: with Argon2id output, a match on anything that is not Argon2id v=19 with memory and
// iterations at least as configured (stronger stored hashes are kept, never downgraded; libsodium's
// own needs_rehash would also flag stronger ones). With write_werkzeug_pbkdf2, a match on PBKDF2
// with sha1/sha224 or with fewer iterations than werkzeug_pbkdf2_iterations; scrypt and Argon2id
// hashes are kept (never downgraded to PBKDF2).
class PasswordHasher {
 public:
  // Cost caps applied to stored hashes before any work, so a hostile or corrupt row cannot tie up a
  // worker. Each is raised to the configured value if that is higher.
  static constexpr std::uint32_t kMaxPbkdf2Iterations = 2'000'000;  // 2x Werkzeug 3.1's 1,000,000
  static constexpr std::uint64_t kMaxScryptCost = std::uint64_t{1}
                                                  << 20;        // n*r*p: 128 MiB, OWASP's 2^17,8,1
  static constexpr std::uint32_t kMaxArgon2MemoryKib = 262144;  // 256 MiB
  static constexpr std::uint32_t kMaxArgon2Iterations = 16;
  static constexpr std::uint32_t kMaxArgon2Parallelism = 16;
  static constexpr std::size_t kMaxStoredLength = 1024;  // bytes of a stored hash string

  // Throws std::invalid_argument for parameters libsodium refuses (start-up only). Computes the
  // dummy target, which costs one hash.
  explicit PasswordHasher(PasswordHasherOptions options = {});

  // A new salted hash in the configured format. Throws std::runtime_error if libsodium fails (out
  // of memory).
  std::string hash(std::string_view password) const;

  VerifyOutcome verify(std::string_view password, std::string_view stored) const;

  // A hash in the configured format of a random password that nobody knows. A login for an unknown
  // (or disabled) account verifies the given password against it, so it costs as much as a real
  // verify.
  std::string dummy_verify_target() const;

  // Switch-over timing: makes the dummy target a Werkzeug hash shaped like `stored` (its method,
  // salt and digest lengths; random contents) when verifying that shape takes longer than the
  // current target, so an unknown e-mail costs as much as the slowest hash still in use. Measures
  // both (a few hash computations): call at start-up, off the I/O threads. True if it switched.
  bool match_dummy_cost(std::string_view stored) const;

  const PasswordHasherOptions& options() const noexcept { return options_; }

  // The same on `pool`; the coroutine resumes on its own executor. InfraErrc::overloaded when the
  // pool's queue is full, InfraErrc::internal if hashing failed. The hasher must outlive the
  // returned awaitables.
  boost::asio::awaitable<Result<std::string>> hash_async(BoundedWorkPool& pool,
                                                         std::string password) const;
  boost::asio::awaitable<Result<VerifyOutcome>> verify_async(BoundedWorkPool& pool,
                                                             std::string password,
                                                             std::string stored) const;
  // verify_async against dummy_verify_target(); the outcome is discarded.
  boost::asio::awaitable<Result<void>> dummy_verify_async(BoundedWorkPool& pool,
                                                          std::string password) const;

 private:
  PasswordHasherOptions options_;
  mutable std::mutex dummy_mutex_;
  // The decoy only: calibrating it does not change what the hasher computes for real passwords.
  mutable std::shared_ptr<const std::string> dummy_target_;  // guarded by dummy_mutex_
};

}  // namespace authsvc::crypto
