#include "oauth/oauth2_provider.hpp"
#include "oauth/oauth_errors.hpp"
#include "oauth/providers/builtin.hpp"

namespace authsvc::oauth {
namespace {

// Yandex ID: PKCE; user-info at login.yandex.ru/info with the `OAuth` scheme (not Bearer): `id`,
// `default_email`, `first_name`, `last_name`. No verification flag is documented, so the address is
// not taken as verified.
class Yandex final : public OAuth2Provider {
 public:
  using OAuth2Provider::OAuth2Provider;

  boost::asio::awaitable<Result<ProviderProfile>> profile(ProviderTokens tokens,
                                                          std::string /*nonce*/) override {
    outbound::OutboundRequest request;
    request.url = settings_.userinfo_url;
    request.headers = {{"Authorization", "OAuth " + tokens.access_token},
                       {"Accept", "application/json"}};
    auto info = co_await fetch_json(std::move(request));
    if (!info) co_return info.take_error();
    co_return named_profile(*info, "id", "default_email");
  }
};

}  // namespace

std::unique_ptr<Provider> make_yandex(ProviderSettings settings, outbound::HttpClient& http) {
  return std::make_unique<Yandex>(std::move(settings), OAuth2Dialect{}, http);
}

}  // namespace authsvc::oauth
