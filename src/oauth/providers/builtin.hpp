#pragma once

#include <memory>
#include <string_view>

#include "common/clock.hpp"
#include "oauth/provider.hpp"
#include "outbound/http_client.hpp"

namespace authsvc::oauth {

// The built-in providers (SPEC 6), each in its own file, written from the provider's published
// documentation (docs/oauth-providers.md cites it). `settings` holds the documented endpoints
// (builtin_defaults()) with the configured overrides applied.
std::unique_ptr<Provider> make_yandex(ProviderSettings settings, outbound::HttpClient& http);
std::unique_ptr<Provider> make_vk(ProviderSettings settings, outbound::HttpClient& http);
std::unique_ptr<Provider> make_mail(ProviderSettings settings, outbound::HttpClient& http);
std::unique_ptr<Provider> make_github(ProviderSettings settings, outbound::HttpClient& http);
std::unique_ptr<Provider> make_facebook(ProviderSettings settings, outbound::HttpClient& http);
std::unique_ptr<Provider> make_twitter(ProviderSettings settings, outbound::HttpClient& http);
// Google and generic providers: OpenID Connect.
std::unique_ptr<Provider> make_oidc(ProviderSettings settings, outbound::HttpClient& http,
                                    const Clock& clock);

// The documented endpoints and scopes of a built-in provider; name empty for an unknown one.
ProviderSettings builtin_defaults(std::string_view name);

}  // namespace authsvc::oauth
