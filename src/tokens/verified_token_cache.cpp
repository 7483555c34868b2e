#include "tokens/verified_token_cache.hpp"

#include "crypto/sha256.hpp"

namespace authsvc::tokens {

VerifiedTokenCache::VerifiedTokenCache(std::size_t capacity, std::chrono::seconds max_age)
    : per_shard_capacity_(std::max<std::size_t>(1, capacity / kShards)), max_age_(max_age) {}

std::string VerifiedTokenCache::key_of(std::string_view token) {
  return crypto::sha256_bytes(token);  // empty (never cached) only if OpenSSL fails
}

VerifiedTokenCache::Shard& VerifiedTokenCache::shard_for(const std::string& key) const {
  // The key is a digest: its first byte is uniformly distributed.
  const auto index = key.empty() ? 0 : static_cast<unsigned char>(key[0]) % kShards;
  return shards_[index];
}

std::optional<TokenClaims> VerifiedTokenCache::find(const std::string& key,
                                                    std::uint64_t generation) const {
  if (key.empty()) return std::nullopt;
  auto& shard = shard_for(key);
  const std::lock_guard lock(shard.mutex);
  const auto it = shard.entries.find(key);
  if (it == shard.entries.end() || it->second.generation != generation ||
      std::chrono::steady_clock::now() - it->second.stored > max_age_) {
    return std::nullopt;
  }
  return it->second.claims;
}

void VerifiedTokenCache::store(const std::string& key, std::uint64_t generation,
                               const TokenClaims& claims) {
  if (key.empty()) return;
  auto& shard = shard_for(key);
  const std::lock_guard lock(shard.mutex);
  // Full: start over (bounded memory; a hot token is back after one verification).
  if (shard.entries.size() >= per_shard_capacity_) shard.entries.clear();
  shard.entries[key] = Entry{claims, generation, std::chrono::steady_clock::now()};
}

}  // namespace authsvc::tokens
