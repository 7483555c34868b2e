#include "auth/logins.hpp"

#include "auth/account_errors.hpp"
#include "common/email.hpp"

namespace authsvc::auth {

boost::asio::awaitable<Result<OpenedSession>> Logins::with_password(PasswordLogin login) {
  // The lockout keys on the canonical address, known or not. Text that has no canonical form (a
  // control character, invalid UTF-8) names no account, and must not open a lockout bucket of its
  // own for one that a database would match by a prefix.
  const auto canonical = canonical_email(login.email);
  if (!canonical) co_return AccountErrc::wrong_credentials;
  const std::string throttle_key = *canonical;
  if (const auto retry_after = co_await throttle_.locked(throttle_key)) {
    Error locked(AccountErrc::locked_out);
    locked.retry_after = *retry_after;
    co_return locked;
  }
  auto user = co_await accounts_.login(std::move(login.email), std::move(login.password));
  if (!user) {
    if (user.error().is(AccountErrc::wrong_credentials)) co_await throttle_.failed(throttle_key);
    co_return user.take_error();
  }
  co_await throttle_.succeeded(throttle_key);
  auto snapshot = co_await directory_.get(user->id);
  if (!snapshot) co_return snapshot.take_error();
  if (!*snapshot) co_return AccountErrc::wrong_credentials;  // deleted meanwhile
  const std::string user_id = user->id;
  auto opened = co_await sessions_.open(std::move(**snapshot), login.client, "password");
  if (!opened) co_return opened.take_error();
  auto recorded = co_await history_.record(user_id, opened->id, std::move(login.client));
  if (!recorded) co_return recorded.take_error();
  co_return opened;
}

boost::asio::awaitable<Result<void>> Logins::change_password(const Caller& caller,
                                                             std::string user_id,
                                                             std::string old_password,
                                                             std::string new_password) {
  if (user_id != caller.user_id()) co_return AccountErrc::not_owner;
  auto changed =
      co_await accounts_.change_password(user_id, std::move(old_password), std::move(new_password));
  if (!changed) co_return changed.take_error();
  co_return co_await sessions_.end_all(std::move(user_id), caller.claims.sid, "password_changed");
}

}  // namespace authsvc::auth
