#pragma once

#include <string>
#include <utility>
#include <vector>

#include "support/http_client.hpp"

namespace authsvc::test {

struct TokenPairStrings {
  std::string access;
  std::string refresh;
};

// The auth API's common calls over a real connection, for integration tests.
class ApiClient {
 public:
  explicit ApiClient(std::uint16_t port) : port_(port) {}

  // A fresh, unique address on every call.
  static std::string unique_email(const std::string& tag = "user");
  static std::pair<std::string, std::string> bearer(const std::string& token) {
    return {"Authorization", "Bearer " + token};
  }
  static TokenPairStrings tokens_of(const HttpResult& login_or_refresh);

  HttpResult signup(const std::string& email, const std::string& password);
  HttpResult login(const std::string& email, const std::string& password,
                   const std::string& user_agent = "integration-test");
  // Signs up and logs in; fails the test (throws) unless both succeed. Returns the user id.
  std::string register_user(const std::string& email, const std::string& password);
  TokenPairStrings login_ok(const std::string& email, const std::string& password);
  HttpResult refresh(const std::string& refresh_token);
  HttpResult verify(const std::string& access_token);
  HttpResult logout(const std::string& refresh_token);

 private:
  std::uint16_t port_;
};

}  // namespace authsvc::test
