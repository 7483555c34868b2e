#include "oauth/oidc_provider.hpp"

#include <boost/json/parse.hpp>

#include "common/url_policy.hpp"
#include "crypto/jose_json.hpp"
#include "crypto/jwk.hpp"
#include "crypto/jws.hpp"
#include "oauth/oauth_errors.hpp"

namespace authsvc::oauth {
namespace {

constexpr auto kDiscoveryMaxAge = std::chrono::hours(1);
// A failed discovery is not retried for this long: a provider that is down costs one fetch per
// interval, not one per login.
constexpr auto kDiscoveryRetryAfter = std::chrono::seconds(5);
// Keys a provider removed (rotated out, or compromised) stop being trusted within this time.
constexpr auto kJwksMaxAge = std::chrono::hours(1);
// At most one JWKS fetch per this interval for unknown kids (a flood of forged kids cannot make
// us hammer the provider).
constexpr auto kJwksRefetchInterval = std::chrono::seconds(30);
constexpr auto kClockSkew = std::chrono::seconds(60);

Error unusable(std::string detail) {
  return Error(OAuthErrc::bad_provider_answer, std::move(detail));
}

std::int64_t seconds_of(TimePoint time) {
  return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

bool audience_is(const boost::json::object& claims, const std::string& client_id) {
  const auto* aud = claims.if_contains("aud");
  if (aud == nullptr) return false;
  if (aud->is_string()) return aud->get_string() == client_id;
  if (!aud->is_array()) return false;
  bool found = false;
  for (const auto& entry : aud->get_array())
    found = found || (entry.is_string() && entry.get_string() == client_id);
  if (!found) return false;
  // Several audiences: the authorized party must be us (OIDC Core 3.1.3.7, 4-5).
  return aud->get_array().size() == 1 || json_string(claims, "azp") == client_id;
}

}  // namespace

OidcProvider::OidcProvider(ProviderSettings settings, OAuth2Dialect dialect,
                           outbound::HttpClient& http, const Clock& clock)
    : OAuth2Provider(std::move(settings), std::move(dialect), http), clock_(clock) {
  if (settings_.scopes.empty()) settings_.scopes = "openid email profile";
}

boost::asio::awaitable<Result<OidcProvider::Discovery>> OidcProvider::discovery() {
  {
    const std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    if (discovery_ && now - discovery_->fetched < kDiscoveryMaxAge) co_return *discovery_;
    if (last_discovery_failure_ && now - last_discovery_failure_->first < kDiscoveryRetryAfter) {
      co_return last_discovery_failure_->second;
    }
  }
  auto found = co_await fetch_discovery();
  const std::lock_guard lock(mutex_);
  if (!found) {
    last_discovery_failure_ = std::pair{std::chrono::steady_clock::now(), found.error()};
  } else {
    discovery_ = *found;
    last_discovery_failure_.reset();
  }
  co_return found;
}

boost::asio::awaitable<Result<OidcProvider::Discovery>> OidcProvider::fetch_discovery() {
  outbound::OutboundRequest request;
  request.url = settings_.discovery_url;
  request.headers = {{"Accept", "application/json"}};
  auto document = co_await fetch_json(std::move(request));
  if (!document) co_return document.take_error();
  Discovery found;
  found.issuer = json_string(*document, "issuer").value_or("");
  found.authorization_endpoint = json_string(*document, "authorization_endpoint").value_or("");
  found.token_endpoint = json_string(*document, "token_endpoint").value_or("");
  found.userinfo_endpoint = json_string(*document, "userinfo_endpoint").value_or("");
  found.jwks_uri = json_string(*document, "jwks_uri").value_or("");
  if (found.issuer.empty() || found.authorization_endpoint.empty() ||
      found.token_endpoint.empty() || found.jwks_uri.empty()) {
    co_return unusable(settings_.name + " discovery document lacks issuer or endpoints");
  }
  // The document must not send the browser, the code or our secret anywhere but https (or
  // loopback), and must be the issuer's own (OIDC Discovery 4.3).
  for (const auto* url : {&found.issuer, &found.authorization_endpoint, &found.token_endpoint,
                          &found.jwks_uri, &found.userinfo_endpoint}) {
    if (!url->empty() && !is_https_or_loopback_url(*url)) {
      co_return unusable(settings_.name +
                         " discovery document names a URL that is neither https nor loopback");
    }
  }
  std::string issuer = found.issuer;
  while (issuer.ends_with('/')) issuer.pop_back();
  if (!settings_.discovery_url.starts_with(issuer + "/")) {
    co_return unusable(settings_.name + " discovery document is not its issuer's own");
  }
  found.fetched = std::chrono::steady_clock::now();
  co_return found;
}

boost::asio::awaitable<Result<std::pair<std::string, std::string>>> OidcProvider::endpoints() {
  if (!settings_.authorize_url.empty() && !settings_.token_url.empty()) {
    co_return std::pair{settings_.authorize_url, settings_.token_url};
  }
  auto found = co_await discovery();
  if (!found) co_return found.take_error();
  co_return std::pair{
      settings_.authorize_url.empty() ? found->authorization_endpoint : settings_.authorize_url,
      settings_.token_url.empty() ? found->token_endpoint : settings_.token_url};
}

void OidcProvider::add_authorize_parameters(
    std::vector<std::pair<std::string, std::string>>& params,
    const AuthorizationRequest& request) const {
  params.emplace_back("nonce", request.nonce);
}

boost::asio::awaitable<Result<void>> OidcProvider::fetch_jwks(const std::string& jwks_uri) {
  outbound::OutboundRequest request;
  request.url = jwks_uri;
  request.headers = {{"Accept", "application/json"}};
  auto document = co_await fetch_json(std::move(request));
  if (!document) co_return document.take_error();
  const auto* keys = document->if_contains("keys");
  if (keys == nullptr || !keys->is_array())
    co_return unusable(settings_.name + " JWKS without keys");
  std::vector<JwksKey> parsed;
  for (const auto& entry : keys->get_array()) {
    if (!entry.is_object()) continue;
    const auto& jwk = entry.get_object();
    if (json_string(jwk, "use").value_or("sig") != "sig") continue;
    parsed.push_back(
        {json_string(jwk, "kid").value_or(""), json_string(jwk, "alg").value_or(""), jwk});
  }
  const std::lock_guard lock(mutex_);
  keys_ = std::move(parsed);
  keys_fetched_ = std::chrono::steady_clock::now();
  co_return ok_result();
}

boost::asio::awaitable<Result<crypto::JwsKey>> OidcProvider::key_for(const std::string& kid,
                                                                     crypto::JwsAlgorithm alg) {
  auto find = [&]() -> std::optional<boost::json::object> {
    const std::lock_guard lock(mutex_);
    for (const auto& key : keys_) {
      if (key.kid == kid && (key.alg.empty() || key.alg == crypto::jws_algorithm_name(alg))) {
        return key.jwk;
      }
    }
    return std::nullopt;
  };
  auto jwk = find();
  bool stale = false;
  {
    const std::lock_guard lock(mutex_);
    stale = std::chrono::steady_clock::now() - keys_fetched_ >= kJwksMaxAge;
  }
  if (!jwk || stale) {
    bool may_fetch = false;
    {
      const std::lock_guard lock(mutex_);
      may_fetch =
          keys_.empty() || std::chrono::steady_clock::now() - keys_fetched_ >= kJwksRefetchInterval;
    }
    if (may_fetch) {
      auto found = co_await discovery();
      if (!found) co_return found.take_error();
      auto fetched = co_await fetch_jwks(found->jwks_uri);
      if (!fetched) co_return fetched.take_error();
      jwk = find();
    }
  }
  if (!jwk) co_return unusable(settings_.name + " id_token signed with an unknown key");
  auto key = crypto::key_from_public_jwk(*jwk, alg);
  if (!key) co_return unusable(settings_.name + " JWKS key unusable: " + key.error().describe());
  co_return std::move(key).value();
}

boost::asio::awaitable<Result<ProviderProfile>> OidcProvider::profile(ProviderTokens tokens,
                                                                      std::string nonce) {
  if (!tokens.id_token) co_return unusable(settings_.name + " gave no id_token");
  auto found = co_await discovery();
  if (!found) co_return found.take_error();
  auto parts = crypto::decode_jws(*tokens.id_token);
  if (!parts) co_return unusable("id_token: " + parts.error().describe());
  const auto alg = crypto::parse_jws_algorithm(parts->alg());
  if (!alg || *alg == crypto::JwsAlgorithm::hs256) {
    co_return unusable("id_token alg not accepted: " + std::string(parts->alg()));
  }
  if (auto header = crypto::check_jws_header(*parts, *alg); !header) {
    co_return unusable("id_token header: " + header.error().describe());
  }
  auto key = co_await key_for(std::string(parts->kid().value_or("")), *alg);
  if (!key) co_return key.take_error();
  if (auto signature = crypto::verify_jws_signature(*parts, *key); !signature) {
    co_return unusable("id_token signature: " + signature.error().describe());
  }
  std::string json_error;
  const auto claims = crypto::parse_jose_object(parts->payload, json_error);
  if (!claims) co_return unusable("id_token payload: " + json_error);

  const auto now = seconds_of(clock_.now());
  const auto skew = std::chrono::duration_cast<std::chrono::seconds>(kClockSkew).count();
  const auto* exp = claims->if_contains("exp");
  // Google documents both forms of its issuer; any other provider must match exactly.
  const auto iss = json_string(*claims, "iss").value_or("");
  if (iss != found->issuer && !(settings_.name == "google" && "https://" + iss == found->issuer)) {
    co_return unusable("id_token iss mismatch");
  }
  if (!audience_is(*claims, settings_.client_id)) co_return unusable("id_token aud mismatch");
  if (exp == nullptr || !exp->is_number() ||
      exp->to_number<double>() <= static_cast<double>(now - skew)) {
    co_return unusable("id_token expired or without exp");
  }
  if (const auto* nbf = claims->if_contains("nbf");
      nbf != nullptr &&
      (!nbf->is_number() || nbf->to_number<double>() > static_cast<double>(now + skew))) {
    co_return unusable("id_token not yet valid");
  }
  if (const auto azp = json_string(*claims, "azp"); azp && *azp != settings_.client_id) {
    co_return unusable("id_token azp is another client");
  }
  if (json_string(*claims, "nonce") != nonce) co_return unusable("id_token nonce mismatch");

  ProviderProfile profile;
  profile.id = json_string(*claims, "sub").value_or("");
  if (profile.id.empty()) co_return unusable("id_token without sub");
  profile.email = json_string(*claims, "email");
  profile.email_verified = json_bool(*claims, "email_verified").value_or(false);
  profile.first_name = json_string(*claims, "given_name");
  profile.last_name = json_string(*claims, "family_name");
  const std::string userinfo =
      settings_.userinfo_url.empty() ? found->userinfo_endpoint : settings_.userinfo_url;
  if (!profile.email && !userinfo.empty()) {
    outbound::OutboundRequest request;
    request.url = userinfo;
    request.headers = {{"Authorization", "Bearer " + tokens.access_token},
                       {"Accept", "application/json"}};
    auto info = co_await fetch_json(std::move(request));
    if (!info) co_return info.take_error();
    // OIDC Core 5.3.2: the user-info sub must be the id_token's, or nothing in it is used.
    if (json_string(*info, "sub") != profile.id) co_return unusable("userinfo sub mismatch");
    profile.email = json_string(*info, "email");
    profile.email_verified = json_bool(*info, "email_verified").value_or(false);
    if (!profile.first_name) profile.first_name = json_string(*info, "given_name");
    if (!profile.last_name) profile.last_name = json_string(*info, "family_name");
  }
  co_return profile;
}

}  // namespace authsvc::oauth
