#include "auth/original_revocations.hpp"

namespace authsvc::auth {

boost::asio::awaitable<Result<bool>> OriginalRevocations::is_revoked(
    const tokens::TokenClaims& claims) {
  if (claims.sid) co_return false;
  auto listed = co_await denylist_.contains(claims.jti);
  if (!listed) co_return listed.take_error();
  if (!*listed) co_return false;
  auto recorded = co_await revocations_.revoke_token(claims.jti, std::nullopt, claims.expires_at());
  if (!recorded) co_return recorded.take_error();
  co_return true;
}

bool OriginalRevocations::already_imported(const std::string& jti, TimePoint now) {
  const std::lock_guard lock(mutex_);
  std::erase_if(imported_, [now](const auto& entry) { return entry.second <= now; });
  return imported_.contains(jti);
}

boost::asio::awaitable<Result<std::size_t>> OriginalRevocations::import_all() {
  std::size_t copied = 0;
  std::string cursor = "0";
  do {
    auto page = co_await denylist_.scan(cursor);
    if (!page) co_return page.take_error();
    const auto now = clock_.now();
    for (const auto& entry : page->entries) {
      if (already_imported(entry.jti, now)) continue;
      // The key was written when the token was revoked, kOriginalDenylistTtl before it expires.
      const auto revoked_at = now + entry.ttl - kOriginalDenylistTtl;
      auto recorded =
          co_await revocations_.revoke_token(entry.jti, std::nullopt, revoked_at + token_lifetime_);
      if (!recorded) co_return recorded.take_error();
      const std::lock_guard lock(mutex_);
      imported_[entry.jti] = now + entry.ttl;
      ++copied;
    }
    cursor = std::move(page->cursor);
  } while (cursor != "0");
  co_return copied;
}

}  // namespace authsvc::auth
