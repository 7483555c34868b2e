#include "support/api_client.hpp"

#include <boost/json/serialize.hpp>
#include <stdexcept>

#include "common/ids.hpp"

namespace authsvc::test {
namespace {

std::string credentials(const std::string& email, const std::string& password) {
  return boost::json::serialize(boost::json::object{{"email", email}, {"password", password}});
}

}  // namespace

std::string ApiClient::unique_email(const std::string& tag) {
  return tag + "-" + random_hex(8) + "@example.com";
}

TokenPairStrings ApiClient::tokens_of(const HttpResult& result) {
  const auto body = result.json();
  const auto& tokens = body.at("tokens");
  return {std::string(tokens.at("access_token").as_string()),
          std::string(tokens.at("refresh_token").as_string())};
}

HttpResult ApiClient::signup(const std::string& email, const std::string& password) {
  HttpClient client(port_);
  return client.request("POST", "/api/v1/auth/signup", credentials(email, password));
}

HttpResult ApiClient::login(const std::string& email, const std::string& password,
                            const std::string& user_agent) {
  HttpClient client(port_);
  return client.request("POST", "/api/v1/auth/login", credentials(email, password),
                        {{"User-Agent", user_agent}});
}

std::string ApiClient::register_user(const std::string& email, const std::string& password) {
  const auto created = signup(email, password);
  if (created.status != 201) throw std::runtime_error("signup failed: " + created.body);
  return std::string(created.json().at("result").at(0).at("id").as_string());
}

TokenPairStrings ApiClient::login_ok(const std::string& email, const std::string& password) {
  const auto result = login(email, password);
  if (result.status != 200) throw std::runtime_error("login failed: " + result.body);
  return tokens_of(result);
}

HttpResult ApiClient::refresh(const std::string& refresh_token) {
  HttpClient client(port_);
  return client.request("POST", "/api/v1/auth/refresh-token", {}, {bearer(refresh_token)});
}

HttpResult ApiClient::verify(const std::string& access_token) {
  HttpClient client(port_);
  return client.get("/api/v1/auth/verify-jwt", {bearer(access_token)});
}

HttpResult ApiClient::logout(const std::string& refresh_token) {
  HttpClient client(port_);
  return client.request("DELETE", "/api/v1/auth/logout", {}, {bearer(refresh_token)});
}

}  // namespace authsvc::test
