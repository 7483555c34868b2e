#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "crypto/base64url.hpp"
#include "crypto/constant_time.hpp"
#include "http/error_reply.hpp"
#include "http/handlers/api_routes.hpp"
#include "http/handlers/token_body.hpp"

namespace authsvc::http {
namespace {

struct ClientCredentials {
  std::string id;
  std::string secret;
};

// HTTP Basic (RFC 7617), else client_id/client_secret in the body (RFC 6749 2.3.1).
std::optional<ClientCredentials> credentials_of(
    const HttpRequest& request, const std::map<std::string, std::string, std::less<>>& body) {
  if (const auto header = request.header("authorization");
      header && header->starts_with("Basic ")) {
    std::string encoded(header->substr(6));
    while (!encoded.empty() && encoded.back() == '=') encoded.pop_back();
    for (char& c : encoded) {
      if (c == '+') c = '-';
      if (c == '/') c = '_';
    }
    const auto decoded = crypto::base64url_decode(encoded);
    if (!decoded) return std::nullopt;
    const auto colon = decoded->find(':');
    if (colon == std::string::npos) return std::nullopt;
    return ClientCredentials{decoded->substr(0, colon), decoded->substr(colon + 1)};
  }
  const auto id = body.find("client_id");
  const auto secret = body.find("client_secret");
  if (id == body.end() || secret == body.end()) return std::nullopt;
  return ClientCredentials{id->second, secret->second};
}

bool authorised(const ApiSettings& settings, const std::optional<ClientCredentials>& client) {
  if (!client) return false;
  const auto known = settings.introspection_clients.find(client->id);
  if (known == settings.introspection_clients.end()) {
    // Same work as for a known client, so client ids cannot be probed by timing.
    (void)crypto::constant_time_equal(client->secret, client->secret);
    return false;
  }
  return crypto::constant_time_equal(client->secret, known->second);
}

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

// POST /api/v1/auth/introspect (RFC 7662) for the service clients of INTROSPECTION_CLIENTS.
Route introspect_route(ApiServices& api) {
  auto handler = [&api](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    const auto parameters = token_request_parameters(context.request);
    if (!authorised(api.settings, credentials_of(context.request, parameters))) {
      auto response = HttpResponse::json(
          401, boost::json::object{{"error", "invalid_client"},
                                   {"message", "client authentication required"}});
      response.set_header("WWW-Authenticate", "Basic realm=\"auth\"");
      co_return response;
    }
    const auto token = parameters.find("token");
    if (token == parameters.end() || token->second.empty()) co_return missing_token_response();
    auto claims = co_await api.authenticator.verify(token->second);
    if (!claims) {
      if (!tokens::token_error_reply(claims.error()))
        co_return error_reply(context, claims.error());
      co_return no_store(HttpResponse::json(200, boost::json::object{{"active", false}}));
    }
    auto revoked = co_await api.authenticator.is_revoked(*claims);
    if (!revoked) co_return error_reply(context, revoked.error());
    if (*revoked)
      co_return no_store(HttpResponse::json(200, boost::json::object{{"active", false}}));
    co_return no_store(HttpResponse::json(200, describe(*claims)));
  };
  return {"POST", "/api/v1/auth/introspect", std::move(handler)};
}

}  // namespace authsvc::http
