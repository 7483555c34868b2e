#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/config.hpp"
#include "oauth/provider.hpp"
#include "outbound/http_client.hpp"

namespace authsvc::oauth {

// The configured providers by name: the built-in ones whose client id and secret are set (with
// their documented endpoints unless overridden) and the generic OIDC ones of OAUTH_OIDC_PROVIDERS.
class ProviderRegistry {
 public:
  ProviderRegistry(const std::vector<OAuthProviderConfig>& configs, outbound::HttpClient& http,
                   const Clock& clock);

  // nullptr: unknown or not configured.
  Provider* find(std::string_view name) const;
  std::vector<std::string> names() const;

 private:
  std::map<std::string, std::unique_ptr<Provider>, std::less<>> providers_;
};

// The built-in providers' names, in SPEC 6's order.
const std::vector<std::string>& builtin_provider_names();

}  // namespace authsvc::oauth
