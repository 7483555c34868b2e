#include "http/bearer.hpp"

#include <gtest/gtest.h>

#include "tokens/token_errc.hpp"

namespace authsvc::http {
namespace {

HttpRequest with_authorization(std::optional<std::string> value) {
  HttpRequest request;
  if (value) request.headers.emplace_back("authorization", *value);
  return request;
}

struct Case {
  std::optional<std::string> header;
  int status;
  std::string msg;
};

TEST(BearerToken, FlaskJwtExtendedAnswers) {
  const std::string expected = "Expected 'Authorization: Bearer <JWT>'";
  const Case cases[] = {
      {std::nullopt, 401, "Missing Authorization Header"},
      {"", 401, "Missing Authorization Header"},
      {"   ", 401, "Missing Authorization Header"},
      {"Token abc", 401, "Missing 'Bearer' type in 'Authorization' header. " + expected},
      {"bearer abc", 401, "Missing 'Bearer' type in 'Authorization' header. " + expected},
      {"Bearer", 422, "Bad Authorization header. " + expected},
      {"Bearer a b", 422, "Bad Authorization header. " + expected},
  };
  for (const auto& c : cases) {
    const auto token = bearer_token(with_authorization(c.header));
    ASSERT_FALSE(token) << c.header.value_or("<none>");
    const auto reply = tokens::token_error_reply(token.error());
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, c.status) << c.header.value_or("<none>");
    EXPECT_EQ(reply->msg, c.msg);
  }
}

TEST(BearerToken, ExtractsTheToken) {
  const auto token = bearer_token(with_authorization("Bearer  aaa.bbb.ccc "));
  ASSERT_TRUE(token);
  EXPECT_EQ(*token, "aaa.bbb.ccc");
}

}  // namespace
}  // namespace authsvc::http
