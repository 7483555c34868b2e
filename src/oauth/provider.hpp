#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <map>
#include <optional>
#include <string>

#include "common/result.hpp"

namespace authsvc::oauth {

// A provider's endpoints and our client's registration with it.
struct ProviderSettings {
  std::string name;  // "yandex", "google", or a generic OIDC provider's configured name
  std::string client_id;
  std::string client_secret;
  std::string authorize_url;
  std::string token_url;
  std::string userinfo_url;
  std::string discovery_url;  // OIDC only: the endpoints above then come from it unless set
  std::string scopes;         // space-separated
};

// Who the provider says signed in: the documented fields of its answer, mapped.
struct ProviderProfile {
  std::string id;  // stable provider user id
  std::optional<std::string> email;
  bool email_verified = false;  // asserted by the provider (or documented as always confirmed)
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
};

// What the provider's token endpoint gave.
struct ProviderTokens {
  std::string access_token;
  std::optional<std::string> id_token;
  boost::json::object answer;  // the whole JSON answer (some providers put the user id here)
};

// The query of the callback: code, state, error, and provider extras (VK ID's device_id).
using CallbackParameters = std::map<std::string, std::string, std::less<>>;

struct AuthorizationRequest {
  std::string redirect_uri;
  std::string state;
  std::string code_challenge;  // S256, for providers that take PKCE
  std::string nonce;           // OIDC
};

struct CodeExchange {
  std::string code;
  std::string code_verifier;
  std::string redirect_uri;
  const CallbackParameters* callback = nullptr;
  std::string state;
};

// One social login provider: how to send the browser there, turn the code into tokens, and the
// tokens into a profile. Failures: OAuthErrc::exchange_failed / bad_provider_answer for a refusal
// or an answer that cannot be used; InfraErrc for a provider that cannot be reached in time.
class Provider {
 public:
  virtual ~Provider() = default;
  virtual const ProviderSettings& settings() const = 0;
  virtual boost::asio::awaitable<Result<std::string>> authorization_url(
      AuthorizationRequest request) = 0;
  virtual boost::asio::awaitable<Result<ProviderTokens>> exchange(CodeExchange exchange) = 0;
  // `nonce`: the one sent with this flow (an OIDC id_token must carry it).
  virtual boost::asio::awaitable<Result<ProviderProfile>> profile(ProviderTokens tokens,
                                                                  std::string nonce) = 0;
};

}  // namespace authsvc::oauth
