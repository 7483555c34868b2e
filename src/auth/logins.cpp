#include "auth/logins.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "auth/account_errors.hpp"
#include "common/email.hpp"

namespace authsvc::auth {
namespace {

// The throttle's verdict before any password work: refused (429 with Retry-After), or go on after
// its delay (a timer, not a thread).
boost::asio::awaitable<Result<void>> pass_throttle(LoginThrottle& throttle, std::string account,
                                                   std::string client) {
  const auto decision = co_await throttle.check(std::move(account), std::move(client));
  if (decision.refused) {
    Error locked(AccountErrc::locked_out);
    locked.retry_after = *decision.refused;
    co_return locked;
  }
  if (decision.delay.count() > 0) {
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, decision.delay);
    co_await timer.async_wait(boost::asio::use_awaitable);
  }
  co_return ok_result();
}

std::string client_of(const ClientInfo& client) {
  return client.ip.value_or("unknown");
}

}  // namespace

boost::asio::awaitable<Result<OpenedSession>> Logins::with_password(PasswordLogin login) {
  // The lockout keys on the canonical address, known or not. Text that has no canonical form (a
  // control character, invalid UTF-8) names no account, and must not open a lockout bucket of its
  // own for one that a database would match by a prefix.
  const auto canonical = canonical_email(login.email);
  if (!canonical) co_return AccountErrc::wrong_credentials;
  const std::string throttle_key = *canonical;
  const std::string client = client_of(login.client);
  auto passed = co_await pass_throttle(throttle_, throttle_key, client);
  if (!passed) co_return passed.take_error();
  auto user = co_await accounts_.login(std::move(login.email), std::move(login.password));
  if (!user) {
    if (user.error().is(AccountErrc::wrong_credentials)) {
      co_await throttle_.failed(throttle_key, client);
    }
    co_return user.take_error();
  }
  co_await throttle_.succeeded(throttle_key, client);
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
                                                             std::string new_password,
                                                             ClientInfo client) {
  if (user_id != caller.user_id()) co_return AccountErrc::not_owner;
  // A stolen access token must not become an oracle for the password: the old-password check is
  // throttled like a login, per account and client.
  const std::string throttle_key = "user:" + user_id;
  const std::string client_address = client_of(client);
  auto passed = co_await pass_throttle(throttle_, throttle_key, client_address);
  if (!passed) co_return passed.take_error();
  auto changed =
      co_await accounts_.change_password(user_id, std::move(old_password), std::move(new_password));
  if (!changed) {
    if (changed.error().is(AccountErrc::wrong_credentials)) {
      co_await throttle_.failed(throttle_key, client_address);
    }
    co_return changed.take_error();
  }
  co_await throttle_.succeeded(throttle_key, client_address);
  co_return co_await sessions_.end_all(std::move(user_id), caller.claims.sid, "password_changed");
}

}  // namespace authsvc::auth
