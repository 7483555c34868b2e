#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "crypto/jws_key.hpp"
#include "oauth/oauth2_provider.hpp"

namespace authsvc::oauth {

// An OpenID Connect provider (Google, or any generic one configured by its discovery URL), per
// OIDC Core: endpoints from the discovery document (cached; explicitly configured ones win), the
// code flow with PKCE and a nonce, and the id_token verified before anything in it is believed:
// signature against the provider's JWKS (cached, fetched again on an unknown kid), alg among
// RS256/ES256/EdDSA, `iss` the discovery issuer, `aud` our client id (`azp` too when several),
// `exp` in the future and `nonce` the flow's. The e-mail comes from the id_token, or from the
// user-info endpoint when the id_token has none.
class OidcProvider final : public OAuth2Provider {
 public:
  OidcProvider(ProviderSettings settings, OAuth2Dialect dialect, outbound::HttpClient& http,
               const Clock& clock);

  boost::asio::awaitable<Result<ProviderProfile>> profile(ProviderTokens tokens,
                                                          std::string nonce) override;

 protected:
  boost::asio::awaitable<Result<std::pair<std::string, std::string>>> endpoints() override;
  void add_authorize_parameters(std::vector<std::pair<std::string, std::string>>& params,
                                const AuthorizationRequest& request) const override;

 private:
  struct Discovery {
    std::string issuer;
    std::string authorization_endpoint;
    std::string token_endpoint;
    std::string userinfo_endpoint;
    std::string jwks_uri;
    std::chrono::steady_clock::time_point fetched;
  };
  struct JwksKey {
    std::string kid;
    std::string alg;
    boost::json::object jwk;
  };

  boost::asio::awaitable<Result<Discovery>> discovery();
  boost::asio::awaitable<Result<Discovery>> fetch_discovery();
  boost::asio::awaitable<Result<crypto::JwsKey>> key_for(const std::string& kid,
                                                         crypto::JwsAlgorithm alg);
  boost::asio::awaitable<Result<void>> fetch_jwks(const std::string& jwks_uri);

  const Clock& clock_;
  std::mutex mutex_;
  std::optional<Discovery> discovery_;  // guarded by mutex_
  std::optional<std::pair<std::chrono::steady_clock::time_point, Error>>
      last_discovery_failure_;                            // guarded by mutex_
  std::vector<JwksKey> keys_;                             // guarded by mutex_
  std::chrono::steady_clock::time_point keys_fetched_{};  // guarded by mutex_
};

}  // namespace authsvc::oauth
