#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "http/error_map.hpp"
#include "http/handlers/handlers.hpp"
#include "http/token_request.hpp"

namespace authsvc::http {
namespace {

boost::json::object describe(const tokens::TokenClaims& claims) {
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
    boost::json::array roles;
    for (const auto& role : claims.roles) roles.emplace_back(role);
    out["roles"] = std::move(roles);
    out["is_superuser"] = claims.is_superuser;
  }
  return out;
}

}  // namespace

// POST /api/v1/auth/introspect (RFC 7662), for the service clients of INTROSPECTION_CLIENTS (the
// access policy checked their credentials).
Handler introspect(auth::Authenticator& authenticator) {
  return [&authenticator](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    const auto parameters = token_request_parameters(context.request);
    const auto token = parameters.find("token");
    if (token == parameters.end() || token->second.empty()) co_return missing_token_response();
    auto claims = co_await authenticator.verify(token->second);
    if (!claims) {
      if (!tokens::token_error_reply(claims.error()))
        co_return error_reply(context, claims.error());
      co_return no_store(HttpResponse::json(200, boost::json::object{{"active", false}}));
    }
    auto revoked = co_await authenticator.is_revoked(*claims);
    if (!revoked) co_return error_reply(context, revoked.error());
    if (*revoked)
      co_return no_store(HttpResponse::json(200, boost::json::object{{"active", false}}));
    co_return no_store(HttpResponse::json(200, describe(*claims)));
  };
}

}  // namespace authsvc::http
