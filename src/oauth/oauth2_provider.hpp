#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <utility>
#include <vector>

#include "oauth/provider.hpp"
#include "outbound/http_client.hpp"

namespace authsvc::oauth {

// What varies between OAuth 2.0 providers' authorization and token endpoints.
struct OAuth2Dialect {
  enum class ClientAuth {
    body,   // client_id and client_secret in the form body (RFC 6749 2.3.1)
    basic,  // HTTP Basic (client_secret_basic); client_id also in the body when the provider wants
    none,   // a public client: client_id in the body, no secret (PKCE is the proof)
  };
  ClientAuth client_auth = ClientAuth::body;
  bool client_id_in_body_with_basic = false;
  bool pkce = true;
  bool response_type_parameter = true;  // GitHub's authorize endpoint has none
  bool token_request_as_get = false;    // Facebook's documented exchange is a GET with a query
  // Callback parameters that the token request must repeat (VK ID's device_id), and whether the
  // state goes along too.
  std::vector<std::string> callback_parameters_for_token;
  bool state_in_token_request = false;
  std::vector<std::pair<std::string, std::string>> extra_authorize_parameters;
};

// The common part of every provider: the authorization URL (code flow, state, PKCE S256), the code
// exchange at the token endpoint, and JSON fetching for the user-info calls of subclasses.
class OAuth2Provider : public Provider {
 public:
  OAuth2Provider(ProviderSettings settings, OAuth2Dialect dialect, outbound::HttpClient& http)
      : settings_(std::move(settings)), dialect_(std::move(dialect)), http_(http) {}

  const ProviderSettings& settings() const override { return settings_; }
  boost::asio::awaitable<Result<std::string>> authorization_url(
      AuthorizationRequest request) override;
  boost::asio::awaitable<Result<ProviderTokens>> exchange(CodeExchange exchange) override;

 protected:
  // The endpoints to use now (OIDC resolves them through discovery first).
  virtual boost::asio::awaitable<Result<std::pair<std::string, std::string>>> endpoints();
  virtual void add_authorize_parameters(std::vector<std::pair<std::string, std::string>>& params,
                                        const AuthorizationRequest& request) const;

  // Sends the request and reads a JSON object answer with a 2xx status; anything else is
  // OAuthErrc::bad_provider_answer (the provider's error text in the detail).
  boost::asio::awaitable<Result<boost::json::object>> fetch_json(outbound::OutboundRequest request);

  ProviderSettings settings_;
  OAuth2Dialect dialect_;
  outbound::HttpClient& http_;
};

// application/x-www-form-urlencoded (also for query strings).
std::string form_encode(const std::vector<std::pair<std::string, std::string>>& params);
// `url` with `params` appended to its query.
std::string with_query(const std::string& url,
                       const std::vector<std::pair<std::string, std::string>>& params);

// Reading documented members of provider answers.
std::optional<std::string> json_string(const boost::json::object& object, std::string_view name);
// A string, or an integer written as text (some providers send numeric ids).
std::optional<std::string> json_id(const boost::json::object& object, std::string_view name);
// The profile most providers answer: the user's id under `id_member`, the e-mail under
// `email_member`, and `first_name` and `last_name`.
ProviderProfile named_profile(const boost::json::object& info, std::string_view id_member,
                              std::string_view email_member);
// A display name (GitHub's `name`, X's `name`) as first name and the rest.
void split_display_name(const std::optional<std::string>& name, ProviderProfile& profile);
// A JSON bool, or the strings "true"/"false" (some providers send those).
std::optional<bool> json_bool(const boost::json::object& object, std::string_view name);

}  // namespace authsvc::oauth
