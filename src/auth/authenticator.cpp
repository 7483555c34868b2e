#include "auth/authenticator.hpp"

namespace authsvc::auth {

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
  co_return Caller{std::move(claims), std::move(user).value()};
}

}  // namespace authsvc::auth
