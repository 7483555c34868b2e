#include <array>

#include "oauth/providers/builtin.hpp"

namespace authsvc::oauth {
namespace {

struct Documented {
  std::string_view name;
  std::string_view authorize_url;
  std::string_view token_url;
  std::string_view userinfo_url;
  std::string_view discovery_url;
  std::string_view scopes;
};

// The endpoints and scopes each provider documents (docs/oauth-providers.md has the sources).
constexpr std::array kDocumented{
    Documented{"yandex", "https://oauth.yandex.ru/authorize", "https://oauth.yandex.ru/token",
               "https://login.yandex.ru/info?format=json", "", "login:email login:info"},
    Documented{"google", "", "", "", "https://accounts.google.com/.well-known/openid-configuration",
               "openid email profile"},
    Documented{"vk", "https://id.vk.com/authorize", "https://id.vk.com/oauth2/auth",
               "https://id.vk.com/oauth2/user_info", "", "vkid.personal_info email"},
    Documented{"mail", "https://oauth.mail.ru/login", "https://oauth.mail.ru/token",
               "https://oauth.mail.ru/userinfo", "", "userinfo"},
    Documented{"github", "https://github.com/login/oauth/authorize",
               "https://github.com/login/oauth/access_token", "https://api.github.com/user", "",
               "read:user user:email"},
    Documented{"facebook", "https://www.facebook.com/v22.0/dialog/oauth",
               "https://graph.facebook.com/v22.0/oauth/access_token",
               "https://graph.facebook.com/v22.0/me", "", "email public_profile"},
    Documented{"twitter", "https://x.com/i/oauth2/authorize", "https://api.x.com/2/oauth2/token",
               "https://api.x.com/2/users/me", "", "tweet.read users.read users.email"},
};

}  // namespace

ProviderSettings builtin_defaults(std::string_view name) {
  ProviderSettings settings;
  for (const auto& documented : kDocumented) {
    if (documented.name != name) continue;
    settings.name = std::string(documented.name);
    settings.authorize_url = std::string(documented.authorize_url);
    settings.token_url = std::string(documented.token_url);
    settings.userinfo_url = std::string(documented.userinfo_url);
    settings.discovery_url = std::string(documented.discovery_url);
    settings.scopes = std::string(documented.scopes);
  }
  return settings;
}

}  // namespace authsvc::oauth
