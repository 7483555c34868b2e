#include "oauth/oauth2_provider.hpp"
#include "oauth/providers/builtin.hpp"

namespace authsvc::oauth {
namespace {

// X (Twitter) OAuth 2.0: PKCE is mandatory and a confidential client authenticates with HTTP
// Basic. The user is /2/users/me: {"data": {"id", "name", "confirmed_email"}} (the e-mail with
// the users.email scope; confirmed by definition).
class Twitter final : public OAuth2Provider {
 public:
  using OAuth2Provider::OAuth2Provider;

  boost::asio::awaitable<Result<ProviderProfile>> profile(ProviderTokens tokens,
                                                          std::string /*nonce*/) override {
    outbound::OutboundRequest request;
    request.url = with_query(settings_.userinfo_url, {{"user.fields", "confirmed_email"}});
    request.headers = {{"Authorization", "Bearer " + tokens.access_token},
                       {"Accept", "application/json"}};
    auto info = co_await fetch_json(std::move(request));
    if (!info) co_return info.take_error();
    ProviderProfile profile;
    const auto* data = info->if_contains("data");
    if (data == nullptr || !data->is_object()) co_return profile;
    profile.id = json_id(data->get_object(), "id").value_or("");
    profile.email = json_string(data->get_object(), "confirmed_email");
    profile.email_verified = profile.email.has_value();
    split_display_name(json_string(data->get_object(), "name"), profile);
    co_return profile;
  }
};

}  // namespace

std::unique_ptr<Provider> make_twitter(ProviderSettings settings, outbound::HttpClient& http) {
  OAuth2Dialect dialect;
  dialect.client_auth = OAuth2Dialect::ClientAuth::basic;
  return std::make_unique<Twitter>(std::move(settings), std::move(dialect), http);
}

}  // namespace authsvc::oauth
