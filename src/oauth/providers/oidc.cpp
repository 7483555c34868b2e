#include "oauth/oidc_provider.hpp"
#include "oauth/providers/builtin.hpp"

namespace authsvc::oauth {

std::unique_ptr<Provider> make_oidc(ProviderSettings settings, outbound::HttpClient& http,
                                    const Clock& clock) {
  // OIDC Core 9 / RFC 6749 2.3.1: client_secret_basic is the method every provider must support.
  OAuth2Dialect dialect;
  dialect.client_auth = OAuth2Dialect::ClientAuth::basic;
  return std::make_unique<OidcProvider>(std::move(settings), std::move(dialect), http, clock);
}

}  // namespace authsvc::oauth
