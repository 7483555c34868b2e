#include "auth/introspection.hpp"

#include "tokens/token_errc.hpp"

namespace authsvc::auth {

boost::asio::awaitable<Result<std::optional<ActiveToken>>> Introspection::introspect(
    std::string token) {
  std::optional<ActiveToken> inactive;
  auto claims = co_await authenticator_.verify(std::move(token));
  if (!claims) {
    if (is_category<tokens::TokenErrc>(claims.error().code)) co_return inactive;
    co_return claims.take_error();
  }
  auto revoked = co_await authenticator_.is_revoked(*claims);
  if (!revoked) co_return revoked.take_error();
  if (*revoked) co_return inactive;
  if (claims->type == tokens::TokenType::refresh) {
    auto current = co_await sessions_.is_current_refresh(*claims);
    if (!current) co_return current.take_error();
    if (!*current) co_return inactive;
  }
  auto user = co_await directory_.get(claims->sub);
  if (!user) co_return user.take_error();
  if (!*user || !(*user)->is_active) co_return inactive;
  co_return ActiveToken{std::move(claims).value(), std::move(**user)};
}

}  // namespace authsvc::auth
