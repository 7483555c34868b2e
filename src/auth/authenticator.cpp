#include "auth/authenticator.hpp"

namespace authsvc::auth {

bool issued_before_cutoff(const tokens::TokenClaims& claims, const UserSnapshot& user) {
  // A session-bound token ends with its session; the cut-off covers the tokens that have none.
  if (claims.sid || !user.tokens_valid_after) return false;
  const auto cutoff =
      std::chrono::duration_cast<std::chrono::seconds>(user.tokens_valid_after->time_since_epoch());
  // iat has whole seconds: a token of the cut-off's own second may predate it, so it goes too.
  return !claims.iat || *claims.iat <= cutoff.count();
}

boost::asio::awaitable<Result<tokens::TokenClaims>> Authenticator::verify(std::string token) {
  co_return co_await verifier_.verify_async(std::move(token));
}

boost::asio::awaitable<Result<bool>> Authenticator::is_revoked(const tokens::TokenClaims& claims) {
  auto revoked = co_await revocations_.is_revoked(claims.jti, claims.sid);
  if (!revoked || *revoked || original_ == nullptr) co_return revoked;
  co_return co_await original_->is_revoked(claims);
}

boost::asio::awaitable<Result<Caller>> Authenticator::accept(tokens::TokenClaims claims,
                                                             tokens::TokenType expected) {
  if (auto typed = tokens::check_token_type(claims, expected); !typed) {
    co_return typed.take_error();
  }
  auto revoked = co_await is_revoked(claims);
  if (!revoked) co_return revoked.take_error();
  if (*revoked) co_return tokens::token_error(tokens::TokenErrc::revoked, "Token has been revoked");
  // From memory in the steady state.
  auto user = co_await directory_.get(claims.sub);
  if (!user) co_return user.take_error();
  if (*user && !(*user)->is_active) {
    co_return tokens::token_error(tokens::TokenErrc::revoked, "Token has been revoked",
                                  "the account is inactive");
  }
  if (*user && issued_before_cutoff(claims, **user)) {
    co_return tokens::token_error(tokens::TokenErrc::revoked, "Token has been revoked",
                                  "issued before the account's last credential event");
  }
  co_return Caller{std::move(claims), std::move(user).value()};
}

}  // namespace authsvc::auth
