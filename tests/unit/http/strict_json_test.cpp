#include "http/strict_json.hpp"

#include <gtest/gtest.h>

namespace authsvc::http {
namespace {

TEST(StrictJson, RefusesAKeyNamedTwiceAtAnyDepth) {
  EXPECT_EQ(parse_strict_json(R"({"email":"a@x.io","email":"b@x.io"})").problem,
            JsonBodyProblem::duplicate_key);
  EXPECT_EQ(parse_strict_json(R"({"a":"x","\u0061":"y"})").problem, JsonBodyProblem::duplicate_key)
      << "the same key, escaped";
  EXPECT_EQ(parse_strict_json(R"({"outer":{"k":1,"k":2}})").problem,
            JsonBodyProblem::duplicate_key);
  EXPECT_EQ(parse_strict_json(R"([{"k":1},{"k":2}])").problem, JsonBodyProblem::none)
      << "one key in each of two objects";
  EXPECT_EQ(parse_strict_json(R"({"k":{"k":1}})").problem, JsonBodyProblem::none);
}

TEST(StrictJson, ParsesWhatIsValidAndReportsWhatIsNot) {
  const auto ok = parse_strict_json(R"({"email":"a@x.io","n":[1,2]})");
  EXPECT_EQ(ok.problem, JsonBodyProblem::none);
  EXPECT_EQ(ok.value.at("email").as_string(), "a@x.io");
  EXPECT_EQ(parse_strict_json("{").problem, JsonBodyProblem::malformed);
  EXPECT_EQ(parse_strict_json("").problem, JsonBodyProblem::malformed);
}

TEST(JsonMediaType, AcceptsJsonWithParametersOnly) {
  EXPECT_TRUE(is_json_media_type("application/json"));
  EXPECT_TRUE(is_json_media_type("Application/JSON; charset=utf-8"));
  EXPECT_FALSE(is_json_media_type("text/plain"));
  EXPECT_FALSE(is_json_media_type("application/x-www-form-urlencoded"));
  EXPECT_FALSE(is_json_media_type("application/jsonp"));
  EXPECT_FALSE(is_json_media_type(""));
}

}  // namespace
}  // namespace authsvc::http
