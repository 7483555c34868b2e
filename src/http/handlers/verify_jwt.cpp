#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "http/error_reply.hpp"
#include "http/handlers/api_routes.hpp"
#include "http/handlers/api_support.hpp"

namespace authsvc::http {

// GET /api/v1/auth/verify-jwt: who the caller is, for the content service. The hot path: the
// signature check, one revocation lookup and the in-memory user directory.
Route verify_jwt_route(ApiServices& api) {
  auto handler = [&api](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    auto claims = co_await authenticate(api, context.request, tokens::TokenType::access);
    if (!claims) co_return error_reply(context, claims.error());
    auto user = co_await api.directory.get(claims->sub);
    if (!user) co_return error_reply(context, user.error());
    if (!*user) co_return HttpResponse::message(404, "User not found");
    boost::json::array roles;
    for (const auto& role : (*user)->roles) roles.emplace_back(role);
    co_return HttpResponse::json(200, boost::json::object{{"id", (*user)->id},
                                                          {"is_superuser", (*user)->is_superuser},
                                                          {"role", (*user)->primary_role()},
                                                          {"roles", std::move(roles)}});
  };
  return {"GET", "/api/v1/auth/verify-jwt", std::move(handler), {.rate_limited = true}};
}

// GET /api/v1/auth/hello: a plain-text greeting for a valid access token.
Route hello_route(ApiServices& api) {
  auto handler = [&api](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    auto claims = co_await authenticate(api, context.request, tokens::TokenType::access);
    if (!claims) co_return error_reply(context, claims.error());
    co_return HttpResponse::text(200, "Hello", "text/html; charset=utf-8");
  };
  return {"GET", "/api/v1/auth/hello", std::move(handler), {.rate_limited = true}};
}

}  // namespace authsvc::http
