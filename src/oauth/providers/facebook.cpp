#include "oauth/oauth2_provider.hpp"
#include "oauth/providers/builtin.hpp"

namespace authsvc::oauth {
namespace {

// Facebook Login: the documented code exchange is a GET with client_id, client_secret,
// redirect_uri and code (its PKCE variant is "still in testing": not used). The user is Graph's
// /me with `fields`; `id` is app-scoped. No verification flag.
class Facebook final : public OAuth2Provider {
 public:
  using OAuth2Provider::OAuth2Provider;

  boost::asio::awaitable<Result<ProviderProfile>> profile(ProviderTokens tokens,
                                                          std::string /*nonce*/) override {
    outbound::OutboundRequest request;
    request.url = with_query(settings_.userinfo_url, {{"fields", "id,email,first_name,last_name"},
                                                      {"access_token", tokens.access_token}});
    request.headers = {{"Accept", "application/json"}};
    auto info = co_await fetch_json(std::move(request));
    if (!info) co_return info.take_error();
    co_return named_profile(*info, "id", "email");
  }
};

}  // namespace

std::unique_ptr<Provider> make_facebook(ProviderSettings settings, outbound::HttpClient& http) {
  OAuth2Dialect dialect;
  dialect.pkce = false;
  dialect.token_request_as_get = true;
  return std::make_unique<Facebook>(std::move(settings), std::move(dialect), http);
}

}  // namespace authsvc::oauth
