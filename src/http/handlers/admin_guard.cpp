#include "http/handlers/admin_guard.hpp"

#include "auth/roles.hpp"
#include "http/error_reply.hpp"
#include "http/handlers/api_support.hpp"

namespace authsvc::http {

boost::asio::awaitable<std::optional<HttpResponse>> require_admin(ApiServices& api,
                                                                  RequestContext& context) {
  auto claims = co_await authenticate(api, context.request, tokens::TokenType::access);
  if (!claims) co_return error_reply(context, claims.error());
  auto user = co_await api.directory.get(claims->sub);
  if (!user) co_return error_reply(context, user.error());
  if (!*user || !auth::Roles::is_admin(**user))
    co_return HttpResponse::message(403, "Access error.");
  co_return std::nullopt;
}

}  // namespace authsvc::http
