#include "oauth/oauth2_provider.hpp"
#include "oauth/providers/builtin.hpp"

namespace authsvc::oauth {
namespace {

// Mail.ru: PKCE; user-info at oauth.mail.ru/userinfo with the token as `access_token`: `id`,
// `email`, `first_name`, `last_name`. No verification flag.
class Mail final : public OAuth2Provider {
 public:
  using OAuth2Provider::OAuth2Provider;

  boost::asio::awaitable<Result<ProviderProfile>> profile(ProviderTokens tokens,
                                                          std::string /*nonce*/) override {
    outbound::OutboundRequest request;
    request.url = with_query(settings_.userinfo_url, {{"access_token", tokens.access_token}});
    request.headers = {{"Accept", "application/json"}};
    auto info = co_await fetch_json(std::move(request));
    if (!info) co_return info.take_error();
    co_return named_profile(*info, "id", "email");
  }
};

}  // namespace

std::unique_ptr<Provider> make_mail(ProviderSettings settings, outbound::HttpClient& http) {
  return std::make_unique<Mail>(std::move(settings), OAuth2Dialect{}, http);
}

}  // namespace authsvc::oauth
