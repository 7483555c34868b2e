// JOSE JSON parsing: Python json's error texts, and the strictness added on top.
#include <gtest/gtest.h>

#include <string>

#include "crypto/jose_json.hpp"

namespace authsvc::crypto {
namespace {

std::string error_of(std::string_view text) {
  std::string error;
  auto parsed = parse_jose_object(text, error);
  if (parsed) return "<ok>";
  return error;
}

TEST(JwsJoseJson, ParsesObjects) {
  std::string error;
  auto parsed = parse_jose_object(R"( {"alg":"ES256","n":[1,2.5,{"x":null}],"t":true} )", error);
  ASSERT_TRUE(parsed.has_value()) << error;
  EXPECT_EQ(parsed->at("alg").as_string(), "ES256");
  EXPECT_EQ(error_of("{}"), "<ok>");
  EXPECT_EQ(error_of(R"({"a":"\u00e9\ud83d\ude00"})"), "<ok>");
  EXPECT_EQ(error_of("{\"a\":\"\xc3\xa9\"}"), "<ok>");
  EXPECT_EQ(error_of(R"({"a":123456789012345678901234567890})"), "<ok>");
}

// Expected texts are CPython 3.11's json.loads(bytes) messages (also checked against the real
// interpreter by tokens/pyjwt_interop_test).
TEST(JwsJoseJson, PythonErrorTexts) {
  EXPECT_EQ(error_of(""), "Expecting value: line 1 column 1 (char 0)");
  EXPECT_EQ(error_of("not json"), "Expecting value: line 1 column 1 (char 0)");
  EXPECT_EQ(error_of("  "), "Expecting value: line 1 column 3 (char 2)");
  EXPECT_EQ(error_of("{"),
            "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)");
  EXPECT_EQ(error_of(R"({"a")"), "Expecting ':' delimiter: line 1 column 5 (char 4)");
  EXPECT_EQ(error_of(R"({"a":)"), "Expecting value: line 1 column 6 (char 5)");
  EXPECT_EQ(error_of(R"({"a":1)"), "Expecting ',' delimiter: line 1 column 7 (char 6)");
  EXPECT_EQ(error_of(R"({"a":1,})"),
            "Expecting property name enclosed in double quotes: line 1 column 8 (char 7)");
  EXPECT_EQ(error_of(R"({"a":[1,]})"), "Expecting value: line 1 column 9 (char 8)");
  EXPECT_EQ(error_of(R"({"a":1} x)"), "Extra data: line 1 column 9 (char 8)");
  EXPECT_EQ(error_of("{\"a\":\"\x01\"}"), "Invalid control character at: line 1 column 7 (char 6)");
  EXPECT_EQ(error_of(R"({"a":"\q"})"), "Invalid \\escape: line 1 column 7 (char 6)");
  EXPECT_EQ(error_of(R"({"a":"\u12"})"), "Invalid \\uXXXX escape: line 1 column 8 (char 7)");
  EXPECT_EQ(error_of(R"({"a":"abc)"), "Unterminated string starting at: line 1 column 6 (char 5)");
  EXPECT_EQ(error_of("{\"a\":\n}"), "Expecting value: line 2 column 1 (char 6)");
  EXPECT_EQ(error_of(R"({"a":01})"), "Expecting ',' delimiter: line 1 column 7 (char 6)");
  EXPECT_EQ(error_of(R"({'a':1})"),
            "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)");
  EXPECT_EQ(error_of("\xff"),
            "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte");
  EXPECT_EQ(error_of("{\"a\":\"\xc3\"}"),
            "'utf-8' codec can't decode byte 0xc3 in position 6: invalid continuation byte");
  EXPECT_EQ(error_of("{\"a\":\"\xe2\x82"),
            "'utf-8' codec can't decode bytes in position 6-7: unexpected end of data");
  EXPECT_EQ(error_of("[1]"), "must be a json object");
  EXPECT_EQ(error_of("\"alg\""), "must be a json object");
  EXPECT_EQ(error_of("null"), "must be a json object");
}

TEST(JwsJoseJson, StricterThanPython) {
  EXPECT_EQ(error_of(R"({"alg":"ES256","alg":"none"})"),
            "Duplicate key: line 1 column 16 (char 15)");
  EXPECT_EQ(error_of(R"({"a":{"b":1,"\u0062":2}})"), "Duplicate key: line 1 column 13 (char 12)");
  EXPECT_EQ(error_of(R"({"a":NaN})"), "Non-standard constant: line 1 column 6 (char 5)");
  EXPECT_EQ(error_of(R"({"a":-Infinity})"), "Non-standard constant: line 1 column 6 (char 5)");
  EXPECT_EQ(error_of(R"({"a":"\ud800"})"), "Unpaired surrogate: line 1 column 7 (char 6)");
  EXPECT_EQ(error_of("{\"a\":\"\xed\xa0\x80\"}"), "Unpaired surrogate: line 1 column 7 (char 6)");
  EXPECT_EQ(error_of("\xef\xbb\xbf{}"),
            "Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)");
  std::string deep(40, '[');
  EXPECT_EQ(error_of(R"({"a":)" + deep), "Nesting too deep: line 1 column 37 (char 36)");
  // A Python syntax error wins over our refusals, as in the original.
  EXPECT_EQ(error_of(R"({"a":NaN,"a":1)"), "Expecting ',' delimiter: line 1 column 15 (char 14)");
}

TEST(JwsJoseJson, HugeNestingNeverOverflowsTheStack) {
  EXPECT_NE(error_of(std::string(100000, '[')), "<ok>");
  EXPECT_NE(error_of("{\"a\":" + std::string(100000, '{')), "<ok>");
}

}  // namespace
}  // namespace authsvc::crypto
