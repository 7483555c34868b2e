#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "http/client_address.hpp"
#include "http/handlers/handlers.hpp"

namespace authsvc::http {

// GET /.well-known/jwks.json
Handler jwks(const tokens::KeyRing& key_ring) {
  return [&key_ring](RequestContext&) -> boost::asio::awaitable<HttpResponse> {
    auto response = HttpResponse::text(200, key_ring.jwks_json(), "application/json");
    // Short enough that a rotation's new key is fetched soon; verifiers refetch on an unknown kid.
    response.set_header("Cache-Control", "public, max-age=300");
    co_return response;
  };
}

// GET /.well-known/openid-configuration
Handler discovery(DiscoverySettings settings) {
  return [settings = std::move(settings)](
             RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    const std::string base =
        public_base_url(context.request, settings.public_url, settings.trusted_proxies);
    auto response = HttpResponse::json(
        200, boost::json::object{
                 {"issuer", settings.issuer},
                 {"jwks_uri", base + "/.well-known/jwks.json"},
                 {"token_endpoint", base + "/api/v1/auth/login"},
                 {"revocation_endpoint", base + "/api/v1/auth/revoke"},
                 {"introspection_endpoint", base + "/api/v1/auth/introspect"},
                 {"userinfo_endpoint", base + "/api/v1/auth/me"},
                 {"grant_types_supported", boost::json::array{"password", "refresh_token"}},
                 {"response_types_supported", boost::json::array{"token"}},
                 {"subject_types_supported", boost::json::array{"public"}},
                 {"id_token_signing_alg_values_supported",
                  boost::json::array{boost::json::value(settings.algorithm)}},
                 {"token_endpoint_auth_methods_supported", boost::json::array{"none"}},
                 {"revocation_endpoint_auth_methods_supported", boost::json::array{"none"}},
                 {"introspection_endpoint_auth_methods_supported",
                  boost::json::array{"client_secret_basic", "client_secret_post"}}});
    // Built from the request's Host when PUBLIC_URL is unset: then no shared cache may keep it.
    response.set_header("Cache-Control", settings.public_url.empty() ? "private, max-age=300"
                                                                     : "public, max-age=300");
    co_return response;
  };
}

}  // namespace authsvc::http
