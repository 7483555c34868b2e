#include "auth/accounts.hpp"

#include <unistr.h>

#include "common/email.hpp"
#include "storage/sql_database.hpp"

namespace authsvc::auth {

Result<void> Accounts::check_password(std::string_view password) const {
  if (password.size() > policy_.max_bytes) return AccountErrc::password_too_long;
  // Length counts characters, not bytes, so a non-ASCII password is not penalised.
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(password.data());
  const std::size_t characters = u8_check(bytes, password.size()) == nullptr
                                     ? u8_mbsnlen(bytes, password.size())
                                     : password.size();
  if (characters < policy_.min_length) return AccountErrc::password_too_short;
  return {};
}

boost::asio::awaitable<Result<storage::CreatedUser>> Accounts::create_superuser(
    std::string email, std::string password) {
  const auto canonical = canonical_email(email);
  if (!canonical || !looks_like_email(*canonical)) co_return AccountErrc::invalid_email;
  if (auto checked = check_password(password); !checked) co_return checked.take_error();

  auto existing = co_await users_.find_by_email(*canonical);
  if (!existing) co_return existing.take_error();
  if (existing->has_value()) co_return AccountErrc::email_taken;

  auto hash = co_await hasher_.hash_async(cpu_, std::move(password));
  if (!hash) co_return hash.take_error();

  storage::NewUser user;
  user.email = email;
  user.email_canonical = *canonical;
  user.password_hash = std::move(hash).value();
  user.is_superuser = true;
  user.created_at = format_timestamp(clock_.now());
  auto created = co_await users_.create(std::move(user));
  // A concurrent creation of the same address loses on the unique index, not silently.
  if (!created && created.error().is(storage::DbErrc::unique_violation))
    co_return AccountErrc::email_taken;
  co_return created;
}

}  // namespace authsvc::auth
