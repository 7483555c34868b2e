#include "oauth/provider_registry.hpp"

#include "oauth/providers/builtin.hpp"

namespace authsvc::oauth {
namespace {

// A configured value wins over the documented default.
void override_with(std::string& value, const std::string& configured) {
  if (!configured.empty()) value = configured;
}

}  // namespace

const std::vector<std::string>& builtin_provider_names() {
  static const std::vector<std::string> names{"yandex", "google",   "vk",     "mail",
                                              "github", "facebook", "twitter"};
  return names;
}

ProviderRegistry::ProviderRegistry(const std::vector<OAuthProviderConfig>& configs,
                                   outbound::HttpClient& http, const Clock& clock) {
  for (const auto& config : configs) {
    ProviderSettings settings =
        config.generic_oidc ? ProviderSettings{} : builtin_defaults(config.name);
    settings.name = config.name;
    settings.client_id = config.client_id;
    settings.client_secret = config.client_secret;
    override_with(settings.authorize_url, config.authorize_url);
    override_with(settings.token_url, config.token_url);
    override_with(settings.userinfo_url, config.userinfo_url);
    override_with(settings.discovery_url, config.discovery_url);
    override_with(settings.scopes, config.scopes);
    std::unique_ptr<Provider> provider;
    if (config.generic_oidc || config.name == "google") {
      provider = make_oidc(std::move(settings), http, clock);
    } else if (config.name == "yandex") {
      provider = make_yandex(std::move(settings), http);
    } else if (config.name == "vk") {
      provider = make_vk(std::move(settings), http);
    } else if (config.name == "mail") {
      provider = make_mail(std::move(settings), http);
    } else if (config.name == "github") {
      provider = make_github(std::move(settings), http);
    } else if (config.name == "facebook") {
      provider = make_facebook(std::move(settings), http);
    } else if (config.name == "twitter") {
      provider = make_twitter(std::move(settings), http);
    }
    if (provider) providers_.emplace(config.name, std::move(provider));
  }
}

Provider* ProviderRegistry::find(std::string_view name) const {
  const auto found = providers_.find(name);
  return found == providers_.end() ? nullptr : found->second.get();
}

std::vector<std::string> ProviderRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& [name, provider] : providers_) out.push_back(name);
  return out;
}

}  // namespace authsvc::oauth
