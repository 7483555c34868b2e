#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "http/error_map.hpp"
#include "http/handlers/handlers.hpp"
#include "http/token_request.hpp"

namespace authsvc::http {
namespace {

boost::json::object describe(const auth::ActiveToken& active) {
  const auto& claims = active.claims;
  boost::json::object out{
      {"active", true},
      {"sub", claims.sub},
      {"jti", claims.jti},
      {"exp", claims.exp},
      {"token_type", claims.type == tokens::TokenType::refresh ? "refresh_token" : "access_token"}};
  if (claims.iat) out["iat"] = *claims.iat;
  if (claims.nbf) out["nbf"] = *claims.nbf;
  if (claims.iss) out["iss"] = *claims.iss;
  if (claims.sid) out["sid"] = *claims.sid;
  if (claims.type == tokens::TokenType::access) {
    // The account's roles now: a role taken away since the token was issued is not reported.
    boost::json::array roles;
    for (const auto& role : active.user.roles) roles.emplace_back(role);
    out["roles"] = std::move(roles);
    out["is_superuser"] = active.user.is_superuser;
  }
  return out;
}

}  // namespace

// POST /api/v1/auth/introspect (RFC 7662), for the service clients of INTROSPECTION_CLIENTS (the
// access policy checked their credentials).
Handler introspect(auth::Introspection& introspection) {
  return [&introspection](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    const auto parameters = token_request_parameters(context.request);
    const auto token = parameters.find("token");
    if (token == parameters.end() || token->second.empty()) co_return missing_token_response();
    auto active = co_await introspection.introspect(token->second);
    if (!active) co_return error_reply(context, active.error());
    if (!*active) {
      co_return no_store(HttpResponse::json(200, boost::json::object{{"active", false}}));
    }
    co_return no_store(HttpResponse::json(200, describe(**active)));
  };
}

}  // namespace authsvc::http
