// Input that must change nothing (SPEC R1, R5): bodies of the wrong type, ambiguous JSON, NUL
// bytes; over the real server in both modes (PostgreSQL is where libpq would cut a NUL short).
#include <gtest/gtest.h>

#include "support/api_client.hpp"
#include "support/backend_modes.hpp"
#include "support/http_client.hpp"
#include "support/test_app.hpp"

namespace authsvc::test {
namespace {

constexpr const char* kPassword = "hardening-password-1";
constexpr const char* kSignup = "/api/v1/auth/signup";
constexpr const char* kLogin = "/api/v1/auth/login";

class RequestHardeningTest : public BackendModeTest {};

std::string credentials(const std::string& email, const std::string& password) {
  return R"({"email":")" + email + R"(","password":")" + password + R"("})";
}

TEST_P(RequestHardeningTest, ABodyThatIsNotJsonIs415AndCreatesNothing) {
  AUTH_MODE_CONFIG(mode);
  TestApp app(*mode);
  HttpClient client(app.port());
  ApiClient api(app.port());
  const auto email = ApiClient::unique_email("form");
  // What a cross-site HTML form can send: a form, text/plain or multipart body.
  for (const std::string type : {"application/x-www-form-urlencoded", "text/plain",
                                 "multipart/form-data; boundary=x", "application/jsonp"}) {
    const auto answer =
        client.request("POST", kSignup, credentials(email, kPassword), {{"Content-Type", type}});
    EXPECT_EQ(answer.status, 415U) << type << ": " << answer.body;
    EXPECT_TRUE(answer.json().at("message").is_string()) << answer.body;
  }
  const std::string untyped = credentials(email, kPassword);
  const auto raw = send_raw(app.port(), "POST " + std::string(kSignup) +
                                            " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                                            "Content-Length: " +
                                            std::to_string(untyped.size()) + "\r\n\r\n" + untyped);
  EXPECT_EQ(raw.rfind("HTTP/1.1 415", 0), 0U) << raw;
  EXPECT_EQ(api.login(email, kPassword).status, 401U) << "no account was created";

  const auto typed = client.request("POST", kSignup, credentials(email, kPassword),
                                    {{"Content-Type", "Application/JSON; charset=utf-8"}});
  EXPECT_EQ(typed.status, 201U) << typed.body;
  const auto form_login = client.request("POST", kLogin, "email=" + email + "&password=x",
                                         {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(form_login.status, 415U) << form_login.body;
}

TEST_P(RequestHardeningTest, TheTokenIsCheckedBeforeTheBodyType) {
  AUTH_MODE_CONFIG(mode);
  TestApp app(*mode);
  HttpClient client(app.port());
  const auto answer =
      client.request("PATCH", "/api/v1/auth/password-change/00000000-0000-4000-8000-000000000000",
                     "x", {{"Content-Type", "text/plain"}});
  EXPECT_EQ(answer.status, 401U) << answer.body;
}

TEST_P(RequestHardeningTest, RevocationTakesAFormOrJsonOnly) {
  AUTH_MODE_CONFIG(mode);
  TestApp app(*mode);
  HttpClient client(app.port());
  const auto text =
      client.request("POST", "/api/v1/auth/revoke", "token=abc", {{"Content-Type", "text/plain"}});
  EXPECT_EQ(text.status, 415U) << text.body;
  const auto form = client.request("POST", "/api/v1/auth/revoke", "token=abc",
                                   {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(form.status, 200U) << form.body;
}

TEST_P(RequestHardeningTest, AKeyNamedTwiceIs400AndCreatesNothing) {
  AUTH_MODE_CONFIG(mode);
  TestApp app(*mode);
  HttpClient client(app.port());
  ApiClient api(app.port());
  const auto first = ApiClient::unique_email("twice-a");
  const auto second = ApiClient::unique_email("twice-b");
  const auto answer = client.request("POST", kSignup,
                                     R"({"email":")" + first + R"(","email":")" + second +
                                         R"(","password":")" + kPassword + R"("})");
  EXPECT_EQ(answer.status, 400U) << answer.body;
  EXPECT_EQ(api.login(first, kPassword).status, 401U);
  EXPECT_EQ(api.login(second, kPassword).status, 401U);
}

TEST_P(RequestHardeningTest, AnEmailWithANulByteIsNobody) {
  AUTH_MODE_CONFIG(mode);
  TestApp app(*mode);
  HttpClient client(app.port());
  ApiClient api(app.port());
  const auto email = ApiClient::unique_email("nul");
  api.register_user(email, kPassword);
  const std::string with_nul = email + "\\u0000n";
  // The right password after the NUL: libpq would have cut the address and logged the owner in.
  const auto sneaky = client.request("POST", kLogin, credentials(with_nul, kPassword));
  EXPECT_EQ(sneaky.status, 400U) << sneaky.body;
  // Many attempts under NUL spellings are refused as input: no lockout bucket of their own, and
  // the owner's untouched.
  for (int i = 0; i < 12; ++i) {
    const auto answer =
        client.request("POST", kLogin, credentials(email + "\\u0000" + std::to_string(i), "bad"));
    EXPECT_EQ(answer.status, 400U) << answer.body;
  }
  EXPECT_EQ(api.login(email, kPassword).status, 200U);
  const auto signup = client.request(
      "POST", kSignup, credentials(ApiClient::unique_email("x") + "\\u0000", kPassword));
  EXPECT_EQ(signup.status, 400U) << signup.body;
  const auto named =
      client.request("POST", kSignup,
                     R"({"email":")" + ApiClient::unique_email("named") + R"(","password":")" +
                         kPassword + R"(","first_name":"Ann\u0000a"})");
  EXPECT_EQ(named.status, 400U) << named.body;
}

INSTANTIATE_TEST_SUITE_P(Modes, RequestHardeningTest, kBackendModes, backend_mode_name);

}  // namespace
}  // namespace authsvc::test
