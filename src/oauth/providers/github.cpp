#include <boost/json/parse.hpp>

#include "oauth/oauth2_provider.hpp"
#include "oauth/providers/builtin.hpp"

namespace authsvc::oauth {
namespace {

// GitHub: no response_type at authorize; PKCE S256; the token answer is JSON only when asked for
// (Accept: application/json) and a refusal may come as 200 with an `error` member. The user is
// /user (`id`, `name`); its `email` is only the public one, so the address comes from
// /user/emails: the primary one, with its `verified` flag.
class GitHub final : public OAuth2Provider {
 public:
  using OAuth2Provider::OAuth2Provider;

  boost::asio::awaitable<Result<ProviderProfile>> profile(ProviderTokens tokens,
                                                          std::string /*nonce*/) override {
    auto user = co_await fetch_json(api(settings_.userinfo_url, tokens.access_token));
    if (!user) co_return user.take_error();
    ProviderProfile profile;
    profile.id = json_id(*user, "id").value_or("");
    split_display_name(json_string(*user, "name"), profile);
    auto response = co_await http_.send(api(emails_url(), tokens.access_token));
    if (!response) co_return response.take_error();
    boost::system::error_code ec;
    const auto emails = boost::json::parse(response->body, ec);
    if (response->status == 200 && !ec && emails.is_array()) {
      for (const auto& entry : emails.get_array()) {
        if (!entry.is_object() || json_bool(entry.get_object(), "primary") != true) continue;
        profile.email = json_string(entry.get_object(), "email");
        profile.email_verified = json_bool(entry.get_object(), "verified").value_or(false);
      }
    }
    co_return profile;
  }

 private:
  // /user/emails beside the configured /user.
  std::string emails_url() const {
    std::string url = settings_.userinfo_url;
    if (const auto query = url.find('?'); query != std::string::npos) url.resize(query);
    return url + "/emails";
  }
  static outbound::OutboundRequest api(std::string url, const std::string& access_token) {
    outbound::OutboundRequest request;
    request.url = std::move(url);
    request.headers = {{"Authorization", "Bearer " + access_token},
                       {"Accept", "application/vnd.github+json"}};
    return request;
  }
};

}  // namespace

std::unique_ptr<Provider> make_github(ProviderSettings settings, outbound::HttpClient& http) {
  OAuth2Dialect dialect;
  dialect.response_type_parameter = false;
  return std::make_unique<GitHub>(std::move(settings), std::move(dialect), http);
}

}  // namespace authsvc::oauth
