#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "tokens/token_claims.hpp"

namespace authsvc::tokens {

// Tokens whose signature and claims already verified, so that a token presented again (a client
// calls verify-jwt on every request it serves) skips the signature and JSON work. Keyed by the
// token's SHA-256 and the key ring's generation: a reload of the keys makes every entry miss.
// Entries live at most `max_age`; expiry is re-checked by the caller on every hit. Only successes
// are kept; the revocation check is never cached. Thread-safe (sharded locks).
class VerifiedTokenCache {
 public:
  static constexpr std::size_t kShards = 16;

  explicit VerifiedTokenCache(std::size_t capacity = 8192,
                              std::chrono::seconds max_age = std::chrono::seconds(60));

  // The SHA-256 of the token (the cache key), computed once per request.
  static std::string key_of(std::string_view token);

  std::optional<TokenClaims> find(const std::string& key, std::uint64_t generation) const;
  void store(const std::string& key, std::uint64_t generation, const TokenClaims& claims);

 private:
  struct Entry {
    TokenClaims claims;
    std::uint64_t generation = 0;
    std::chrono::steady_clock::time_point stored;
  };
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, Entry> entries;  // guarded by mutex
  };
  Shard& shard_for(const std::string& key) const;

  std::size_t per_shard_capacity_;
  std::chrono::seconds max_age_;
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace authsvc::tokens
