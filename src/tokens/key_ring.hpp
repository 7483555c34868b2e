#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "crypto/jws_algorithm.hpp"
#include "crypto/jws_key.hpp"
#include "tokens/key_store.hpp"

namespace authsvc::tokens {

struct KeyRingOptions {
  crypto::JwsAlgorithm algorithm = crypto::JwsAlgorithm::es256;
  // How long a retired key keeps verifying (not_after = retirement + this): the refresh lifetime,
  // so every token it signed has expired before it leaves the JWKS.
  std::chrono::seconds retired_key_lifetime = std::chrono::hours(24 * 30);
  // reload_for_unknown_kid() reloads at most once per this interval.
  std::chrono::milliseconds min_reload_interval{1000};
  int rsa_bits = crypto::JwsKey::kMinRsaBits;
};

// A key of the ring.
struct RingKey {
  std::string kid;  // "" for the HS256 secret
  crypto::JwsKey key;
  TimePoint created_at{};
  std::optional<TimePoint> retired_at;
  std::optional<TimePoint> not_after;
};

// The signing keys of one algorithm: exactly one active signer, plus retired keys that still
// verify until their not_after. Thread-safe: lookups read an immutable snapshot that reload()
// replaces.
//
// kid = the RFC 7638 JWK thumbprint of the public key: derived from the key itself, so it needs no
// coordination between instances (two instances racing at first start produce different kids and
// the database's one-active-key constraint picks the winner), is stable however the key is stored
// or reloaded, reveals nothing, and lets anyone holding the JWK recompute it.
//
// HS256 (switch-over with the original service): the ring is just JWT_SECRET_KEY; tokens need no
// kid (any kid is ignored), jwks() is empty, and there is nothing to load, rotate or reload.
class KeyRing {
 public:
  // An asymmetric ring over `store`; empty until ensure_key() or reload(). `clock` and `store` must
  // outlive the ring.
  KeyRing(const Clock& clock, KeyStore& store, KeyRingOptions options);
  // The HS256 ring. CryptoErrc::weak_key for a secret under 32 bytes or a well-known default unless
  // `allow_insecure`.
  static Result<std::unique_ptr<KeyRing>> hmac(const Clock& clock, std::string_view secret,
                                               bool allow_insecure = false);
  KeyRing(const KeyRing&) = delete;
  KeyRing& operator=(const KeyRing&) = delete;
  ~KeyRing();

  crypto::JwsAlgorithm algorithm() const noexcept { return options_.algorithm; }
  bool is_hmac() const noexcept { return store_ == nullptr; }

  // First start: loads the keys; when none of the configured algorithm is active, generates one and
  // inserts it (if another instance won that race, its key is used). RSA generation takes ~0.1-0.5
  // s.
  boost::asio::awaitable<Result<void>> ensure_key();
  // Re-reads the store (another instance may have rotated).
  boost::asio::awaitable<Result<void>> reload();
  // `auth keys rotate`: a new active key; the old one retires (verifies for retired_key_lifetime
  // more). Returns the new active kid (another instance's, if it rotated at the same moment).
  boost::asio::awaitable<Result<std::string>> rotate();
  // For a token whose kid is unknown: reloads unless a reload started less than
  // min_reload_interval ago (then false at once); if one is in flight, waits for it (true).
  // An error only when the reload itself failed (an outage: fail closed, 5xx).
  boost::asio::awaitable<Result<bool>> reload_for_unknown_kid();

  struct Signer {
    std::string kid;
    crypto::JwsKey key;
  };
  // The active signer; nullopt before ensure_key()/reload() found one.
  std::optional<Signer> signer() const;
  // The key that verifies a token with this header kid: HS256: the secret, whatever the kid;
  // otherwise the active key or a retired key before its not_after with exactly that kid.
  std::optional<crypto::JwsKey> verifier(std::optional<std::string_view> kid) const;
  // {"keys":[...]}: the public JWKs of the active key and of retired keys before not_after.
  boost::json::object jwks() const;
  std::string jwks_json() const;
  // Changes whenever a load publishes a new set of keys (caches of verified tokens key on it).
  std::uint64_t generation() const noexcept { return generation_.load(std::memory_order_acquire); }
  // Every key of the configured algorithm currently loaded (tests, `auth keys` output).
  std::vector<RingKey> keys() const;

 private:
  struct Entry {
    RingKey key;
    boost::json::object jwk;  // empty for HS256
  };
  struct Snapshot {
    std::vector<Entry> entries;
    std::optional<std::size_t> active;
  };

  KeyRing(const Clock& clock, KeyStore* store, KeyRingOptions options);
  std::shared_ptr<const Snapshot> snapshot() const;
  // Installs a snapshot read by the load numbered `sequence`, unless a later load got there first.
  void publish(std::shared_ptr<const Snapshot> snapshot, std::uint64_t sequence);
  bool still_verifies(const RingKey& key, TimePoint now) const;
  static std::string fingerprint(const Snapshot& snapshot);
  Result<std::shared_ptr<const Snapshot>> build_snapshot(const std::vector<StoredKey>& rows) const;
  Result<StoredKey> generate_key() const;

  const Clock& clock_;
  KeyStore* store_;  // null for HS256
  KeyRingOptions options_;
  mutable std::mutex mutex_;
  std::shared_ptr<const Snapshot> snapshot_;  // guarded by mutex_
  std::uint64_t published_sequence_ = 0;      // guarded by mutex_
  std::atomic<std::uint64_t> next_sequence_{1};
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<bool> reload_in_flight_{false};
  std::atomic<std::int64_t> last_reload_start_ms_{std::numeric_limits<std::int64_t>::min() / 2};
};

}  // namespace authsvc::tokens
