#include "oauth/providers/builtin.hpp"

namespace authsvc::oauth {

// The endpoints and scopes each provider documents (docs/oauth-providers.md has the sources).
ProviderSettings builtin_defaults(std::string_view name) {
  ProviderSettings s;
  s.name = std::string(name);
  if (name == "yandex") {
    s.authorize_url = "https://oauth.yandex.ru/authorize";
    s.token_url = "https://oauth.yandex.ru/token";
    s.userinfo_url = "https://login.yandex.ru/info?format=json";
    s.scopes = "login:email login:info";
  } else if (name == "google") {
    s.discovery_url = "https://accounts.google.com/.well-known/openid-configuration";
    s.scopes = "openid email profile";
  } else if (name == "vk") {
    s.authorize_url = "https://id.vk.com/authorize";
    s.token_url = "https://id.vk.com/oauth2/auth";
    s.userinfo_url = "https://id.vk.com/oauth2/user_info";
    s.scopes = "vkid.personal_info email";
  } else if (name == "mail") {
    s.authorize_url = "https://oauth.mail.ru/login";
    s.token_url = "https://oauth.mail.ru/token";
    s.userinfo_url = "https://oauth.mail.ru/userinfo";
    s.scopes = "userinfo";
  } else if (name == "github") {
    s.authorize_url = "https://github.com/login/oauth/authorize";
    s.token_url = "https://github.com/login/oauth/access_token";
    s.userinfo_url = "https://api.github.com/user";
    s.scopes = "read:user user:email";
  } else if (name == "facebook") {
    s.authorize_url = "https://www.facebook.com/v22.0/dialog/oauth";
    s.token_url = "https://graph.facebook.com/v22.0/oauth/access_token";
    s.userinfo_url = "https://graph.facebook.com/v22.0/me";
    s.scopes = "email public_profile";
  } else if (name == "twitter") {
    s.authorize_url = "https://x.com/i/oauth2/authorize";
    s.token_url = "https://api.x.com/2/oauth2/token";
    s.userinfo_url = "https://api.x.com/2/users/me";
    s.scopes = "tweet.read users.read users.email";
  } else {
    s.name.clear();
  }
  return s;
}

}  // namespace authsvc::oauth
