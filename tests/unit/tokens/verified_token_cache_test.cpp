#include "tokens/verified_token_cache.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace authsvc::tokens {
namespace {

TokenClaims claims_with_jti(std::string jti) {
  TokenClaims claims;
  claims.jti = std::move(jti);
  claims.sub = "0b6e2a5c-2a59-4a54-9f3c-6a4c1d2b9e11";
  claims.exp = 2'000'000'000;
  return claims;
}

TEST(VerifiedTokenCache, KeysAreDigestsOfTheWholeToken) {
  const auto a = VerifiedTokenCache::key_of("aaa.bbb.ccc");
  EXPECT_EQ(a.size(), 32U);
  EXPECT_EQ(a, VerifiedTokenCache::key_of("aaa.bbb.ccc"));
  EXPECT_NE(a, VerifiedTokenCache::key_of("aaa.bbb.ccd")) << "one changed signature byte";
}

TEST(VerifiedTokenCache, HitsOnlyForTheSameKeyRingGeneration) {
  VerifiedTokenCache cache;
  const auto key = VerifiedTokenCache::key_of("token-1");
  EXPECT_FALSE(cache.find(key, 1));
  cache.store(key, 1, claims_with_jti("one"));
  ASSERT_TRUE(cache.find(key, 1));
  EXPECT_EQ(cache.find(key, 1)->jti, "one");
  EXPECT_FALSE(cache.find(key, 2)) << "the keys were reloaded: verify again";
  EXPECT_FALSE(cache.find(VerifiedTokenCache::key_of("token-2"), 1));
}

TEST(VerifiedTokenCache, EntriesAgeOutAndMemoryIsBounded) {
  VerifiedTokenCache aging(64, std::chrono::seconds(0));
  const auto key = VerifiedTokenCache::key_of("token");
  aging.store(key, 1, claims_with_jti("x"));
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  EXPECT_FALSE(aging.find(key, 1));

  VerifiedTokenCache small(VerifiedTokenCache::kShards);  // one entry per shard
  std::size_t kept = 0;
  for (int i = 0; i < 1000; ++i) {
    small.store(VerifiedTokenCache::key_of("t" + std::to_string(i)), 1, claims_with_jti("x"));
  }
  for (int i = 0; i < 1000; ++i) {
    kept += small.find(VerifiedTokenCache::key_of("t" + std::to_string(i)), 1) ? 1U : 0U;
  }
  EXPECT_LE(kept, VerifiedTokenCache::kShards);
  EXPECT_GE(kept, 1U);
}

}  // namespace
}  // namespace authsvc::tokens
