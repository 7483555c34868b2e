#include "oauth/oauth2_provider.hpp"

#include <boost/json/parse.hpp>

#include "crypto/base64url.hpp"
#include "oauth/oauth_errors.hpp"

namespace authsvc::oauth {
namespace {

bool unreserved(unsigned char c) {
  return std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~';
}

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (unreserved(c)) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

std::string base64(std::string_view bytes) {
  std::string out = crypto::base64url_encode(bytes);
  for (char& c : out) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  while (out.size() % 4 != 0) out += '=';
  return out;
}

}  // namespace

std::string form_encode(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out += '&';
    out += percent_encode(name) + "=" + percent_encode(value);
  }
  return out;
}

std::string with_query(const std::string& url,
                       const std::vector<std::pair<std::string, std::string>>& params) {
  if (params.empty()) return url;
  return url + (url.find('?') == std::string::npos ? "?" : "&") + form_encode(params);
}

std::optional<std::string> json_string(const boost::json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  if (value == nullptr || !value->is_string() || value->get_string().empty()) return std::nullopt;
  return std::string(value->get_string());
}

std::optional<std::string> json_id(const boost::json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  if (value == nullptr) return std::nullopt;
  if (value->is_int64()) return std::to_string(value->get_int64());
  if (value->is_uint64()) return std::to_string(value->get_uint64());
  return json_string(object, name);
}

ProviderProfile named_profile(const boost::json::object& info, std::string_view id_member,
                              std::string_view email_member) {
  ProviderProfile profile;
  profile.id = json_id(info, id_member).value_or("");
  profile.email = json_string(info, email_member);
  profile.first_name = json_string(info, "first_name");
  profile.last_name = json_string(info, "last_name");
  return profile;
}

void split_display_name(const std::optional<std::string>& name, ProviderProfile& profile) {
  if (!name) return;
  const auto space = name->find(' ');
  profile.first_name = name->substr(0, space);
  if (space != std::string::npos && space + 1 < name->size()) {
    profile.last_name = name->substr(space + 1);
  }
}

std::optional<bool> json_bool(const boost::json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  if (value == nullptr) return std::nullopt;
  if (value->is_bool()) return value->get_bool();
  if (value->is_string()) {
    if (value->get_string() == "true") return true;
    if (value->get_string() == "false") return false;
  }
  return std::nullopt;
}

boost::asio::awaitable<Result<std::pair<std::string, std::string>>> OAuth2Provider::endpoints() {
  co_return std::pair{settings_.authorize_url, settings_.token_url};
}

void OAuth2Provider::add_authorize_parameters(
    std::vector<std::pair<std::string, std::string>>& params,
    const AuthorizationRequest& request) const {
  (void)params;
  (void)request;
}

boost::asio::awaitable<Result<std::string>> OAuth2Provider::authorization_url(
    AuthorizationRequest request) {
  auto urls = co_await endpoints();
  if (!urls) co_return urls.take_error();
  std::vector<std::pair<std::string, std::string>> params;
  if (dialect_.response_type_parameter) params.emplace_back("response_type", "code");
  params.emplace_back("client_id", settings_.client_id);
  params.emplace_back("redirect_uri", request.redirect_uri);
  params.emplace_back("state", request.state);
  if (!settings_.scopes.empty()) params.emplace_back("scope", settings_.scopes);
  if (dialect_.pkce) {
    params.emplace_back("code_challenge", request.code_challenge);
    params.emplace_back("code_challenge_method", "S256");
  }
  for (const auto& extra : dialect_.extra_authorize_parameters) params.push_back(extra);
  add_authorize_parameters(params, request);
  co_return with_query(urls->first, params);
}

boost::asio::awaitable<Result<ProviderTokens>> OAuth2Provider::exchange(CodeExchange exchange) {
  auto urls = co_await endpoints();
  if (!urls) co_return urls.take_error();
  std::vector<std::pair<std::string, std::string>> form{{"grant_type", "authorization_code"},
                                                        {"code", exchange.code},
                                                        {"redirect_uri", exchange.redirect_uri}};
  if (dialect_.pkce) form.emplace_back("code_verifier", exchange.code_verifier);
  if (exchange.callback != nullptr) {
    for (const auto& name : dialect_.callback_parameters_for_token) {
      if (const auto found = exchange.callback->find(name); found != exchange.callback->end()) {
        form.emplace_back(name, found->second);
      }
    }
  }
  if (dialect_.state_in_token_request) form.emplace_back("state", exchange.state);
  outbound::OutboundRequest request;
  request.method = "POST";
  request.url = urls->second;
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                     {"Accept", "application/json"}};
  if (dialect_.client_auth == OAuth2Dialect::ClientAuth::basic) {
    // RFC 6749 2.3.1: the id and secret are form-encoded before the Basic encoding.
    request.headers.emplace_back("Authorization",
                                 "Basic " + base64(percent_encode(settings_.client_id) + ":" +
                                                   percent_encode(settings_.client_secret)));
    if (dialect_.client_id_in_body_with_basic) form.emplace_back("client_id", settings_.client_id);
  } else {
    form.emplace_back("client_id", settings_.client_id);
    if (dialect_.client_auth == OAuth2Dialect::ClientAuth::body) {
      form.emplace_back("client_secret", settings_.client_secret);
    }
  }
  if (dialect_.token_request_as_get) {
    request.method = "GET";
    request.url = with_query(request.url, form);
    std::erase_if(request.headers,
                  [](const auto& header) { return header.first == "Content-Type"; });
  } else {
    request.body = form_encode(form);
  }
  auto answer = co_await fetch_json(std::move(request));
  if (!answer) {
    if (answer.error().is(OAuthErrc::bad_provider_answer)) {
      co_return Error(OAuthErrc::exchange_failed, answer.error().detail);
    }
    co_return answer.take_error();
  }
  // Some providers (GitHub) refuse a code with status 200 and an RFC 6749 error member.
  if (const auto error = json_string(*answer, "error")) {
    co_return Error(OAuthErrc::exchange_failed, settings_.name + " refused the code: " + *error);
  }
  ProviderTokens tokens;
  tokens.access_token = json_string(*answer, "access_token").value_or("");
  tokens.id_token = json_string(*answer, "id_token");
  // (Bounded: it goes into a request header of ours.)
  if (tokens.access_token.empty() || tokens.access_token.size() > 8192) {
    co_return Error(OAuthErrc::exchange_failed, "token answer without a usable access_token");
  }
  tokens.answer = std::move(answer).value();
  co_return tokens;
}

boost::asio::awaitable<Result<boost::json::object>> OAuth2Provider::fetch_json(
    outbound::OutboundRequest request) {
  // For the log: never the query (it may carry a code, a secret or an access token).
  const std::string url = request.url.substr(0, request.url.find('?'));
  auto response = co_await http_.send(std::move(request));
  if (!response) {
    if (response.error().is(InfraErrc::overloaded)) {
      co_return Error(OAuthErrc::bad_provider_answer,
                      settings_.name + " answered too much at " + url);
    }
    co_return response.take_error();
  }
  if (response->status >= 500) {  // the provider is in trouble: an outage, not a refusal
    co_return Error(InfraErrc::unavailable, settings_.name + " answered " +
                                                std::to_string(response->status) + " at " + url);
  }
  boost::system::error_code ec;
  const auto parsed = boost::json::parse(response->body, ec);
  if (response->status < 200 || response->status >= 300) {
    // The provider's error code (RFC 6749 5.2), for the log only.
    const auto error =
        !ec && parsed.is_object() ? json_string(parsed.get_object(), "error") : std::nullopt;
    co_return Error(OAuthErrc::bad_provider_answer,
                    settings_.name + " answered " + std::to_string(response->status) + " at " +
                        url + (error ? " (" + error->substr(0, 64) + ")" : std::string()));
  }
  if (ec || !parsed.is_object()) {
    co_return Error(OAuthErrc::bad_provider_answer,
                    settings_.name + " answered something other than a JSON object at " + url);
  }
  co_return parsed.as_object();
}

}  // namespace authsvc::oauth
