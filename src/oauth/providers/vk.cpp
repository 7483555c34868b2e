#include "oauth/oauth2_provider.hpp"
#include "oauth/providers/builtin.hpp"

namespace authsvc::oauth {
namespace {

// VK ID (OAuth 2.1): PKCE is mandatory and the client sends no secret; the callback's `device_id`
// and the `state` go back with the code exchange. User-info is a POST of client_id and the access
// token: {"user": {"user_id", "email", "first_name", "last_name"}}. No verification flag.
class Vk final : public OAuth2Provider {
 public:
  using OAuth2Provider::OAuth2Provider;

  boost::asio::awaitable<Result<ProviderProfile>> profile(ProviderTokens tokens,
                                                          std::string /*nonce*/) override {
    outbound::OutboundRequest request;
    request.method = "POST";
    request.url = settings_.userinfo_url;
    request.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                       {"Accept", "application/json"}};
    request.body =
        form_encode({{"client_id", settings_.client_id}, {"access_token", tokens.access_token}});
    auto info = co_await fetch_json(std::move(request));
    if (!info) co_return info.take_error();
    const auto* user = info->if_contains("user");
    // No id: refused by the caller.
    if (user == nullptr || !user->is_object()) co_return ProviderProfile{};
    auto profile = named_profile(user->get_object(), "user_id", "email");
    // The token answer names the user too.
    if (profile.id.empty()) profile.id = json_id(tokens.answer, "user_id").value_or("");
    co_return profile;
  }
};

}  // namespace

std::unique_ptr<Provider> make_vk(ProviderSettings settings, outbound::HttpClient& http) {
  OAuth2Dialect dialect;
  dialect.client_auth = OAuth2Dialect::ClientAuth::none;
  dialect.callback_parameters_for_token = {"device_id"};
  dialect.state_in_token_request = true;
  return std::make_unique<Vk>(std::move(settings), std::move(dialect), http);
}

}  // namespace authsvc::oauth
