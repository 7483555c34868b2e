#include "http/request_fields.hpp"

#include <gtest/gtest.h>

namespace authsvc::http {
namespace {

const std::initializer_list<FieldRule> kSignupRules = {
    {"email", true, 255}, {"password", true}, {"phone", false, 50, true}};

TEST(RequestFields, ReadsStringMembers) {
  const auto read = read_json_fields(R"({"email":"a@b.c","password":"pw","phone":null})",
                                     kSignupRules, UnknownFields::reject);
  ASSERT_FALSE(read.error) << read.error->body;
  EXPECT_EQ(read.fields.get("email"), "a@b.c");
  EXPECT_EQ(read.fields.get("password"), "pw");
  EXPECT_TRUE(read.fields.has("phone"));
  EXPECT_EQ(read.fields.get("phone"), std::nullopt);
}

TEST(RequestFields, CollectsEveryMarshmallowErrorOfTheBody) {
  const auto read =
      read_json_fields(R"({"password":5,"extra":"x"})", kSignupRules, UnknownFields::reject);
  ASSERT_TRUE(read.error);
  EXPECT_EQ(read.error->status, 400U);
  EXPECT_EQ(read.error->body, R"({"message":{"email":["Missing data for required field."],)"
                              R"("password":["Not a valid string."],"extra":["Unknown field."]}})");
}

TEST(RequestFields, NullOnARequiredFieldAndOverlongValues) {
  const auto read =
      read_json_fields(R"({"email":null,"password":"p","phone":")" + std::string(51, '1') + R"("})",
                       kSignupRules, UnknownFields::reject);
  ASSERT_TRUE(read.error);
  EXPECT_EQ(read.error->body, R"({"message":{"email":["Field may not be null."],)"
                              R"("phone":["Longer than maximum length 50."]}})");
}

TEST(RequestFields, UnknownMembersCanBeIgnored) {
  const auto read = read_json_fields(R"({"phone":"1","other":1})", {{"phone", false, 50, true}},
                                     UnknownFields::ignore);
  ASSERT_FALSE(read.error);
  EXPECT_EQ(read.fields.get("phone"), "1");
  EXPECT_FALSE(read.fields.has("other"));
}

TEST(RequestFields, MalformedJsonAndNonObjectsAre400Json) {
  for (const std::string body : {"", "{", "{\"email\":", "nul", "\xff\xfe"}) {
    const auto read = read_json_fields(body, kSignupRules, UnknownFields::reject);
    ASSERT_TRUE(read.error) << body;
    EXPECT_EQ(read.error->status, 400U);
    EXPECT_EQ(read.error->body, R"({"message":"The request body is not valid JSON."})");
  }
  for (const std::string body : {"[]", "1", "\"x\"", "null"}) {
    const auto read = read_json_fields(body, kSignupRules, UnknownFields::reject);
    ASSERT_TRUE(read.error) << body;
    EXPECT_EQ(read.error->body, R"({"message":{"_schema":["Invalid input type."]}})");
  }
}

TEST(RequestFields, FormBodiesDecodePercentAndPlus) {
  const auto form =
      parse_form("token=a%2Bb+c&token_type_hint=refresh_token&token=second&bad=%zz%4");
  EXPECT_EQ(form.at("token"), "a+b c");
  EXPECT_EQ(form.at("token_type_hint"), "refresh_token");
  EXPECT_EQ(form.at("bad"), "%zz%4");
}

}  // namespace
}  // namespace authsvc::http
