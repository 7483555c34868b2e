#include "storage/redis/redis_reply.hpp"

#include <gtest/gtest.h>
#include <hiredis/hiredis.h>

#include <memory>
#include <string>

namespace authsvc::storage {
namespace {

// Parses raw RESP with hiredis' own reader, so the copy is tested on what hiredis really builds.
RedisReply parse(const std::string& resp) {
  std::unique_ptr<redisReader, decltype(&redisReaderFree)> reader(redisReaderCreate(),
                                                                  &redisReaderFree);
  EXPECT_EQ(redisReaderFeed(reader.get(), resp.data(), resp.size()), REDIS_OK);
  void* raw = nullptr;
  EXPECT_EQ(redisReaderGetReply(reader.get(), &raw), REDIS_OK);
  EXPECT_NE(raw, nullptr) << "incomplete reply";
  if (raw == nullptr) return {};
  std::unique_ptr<redisReply, decltype(&freeReplyObject)> reply(static_cast<redisReply*>(raw),
                                                                &freeReplyObject);
  return copy_hiredis_reply(*reply);
}

TEST(RedisReplyCopy, Scalars) {
  RedisReply nil = parse("$-1\r\n");
  EXPECT_EQ(nil.type, RedisReply::Type::nil);
  EXPECT_TRUE(nil.is_nil());

  RedisReply integer = parse(":-42\r\n");
  EXPECT_EQ(integer.type, RedisReply::Type::integer);
  EXPECT_EQ(integer.integer, -42);

  RedisReply status = parse("+OK\r\n");
  EXPECT_EQ(status.type, RedisReply::Type::status);
  EXPECT_EQ(status.str, "OK");
  EXPECT_TRUE(status.is_ok_status());

  RedisReply error = parse("-WRONGTYPE Operation against a key\r\n");
  EXPECT_EQ(error.type, RedisReply::Type::error);
  EXPECT_EQ(error.str, "WRONGTYPE Operation against a key");
  EXPECT_TRUE(error.is_error());
}

TEST(RedisReplyCopy, BinaryStringKeepsNulBytes) {
  const std::string payload("a\0b\r\n\xff", 6);
  RedisReply reply = parse("$6\r\n" + payload + "\r\n");
  EXPECT_EQ(reply.type, RedisReply::Type::string);
  EXPECT_EQ(reply.str.size(), 6u);
  EXPECT_EQ(reply.str, payload);

  RedisReply empty = parse("$0\r\n\r\n");
  EXPECT_EQ(empty.type, RedisReply::Type::string);
  EXPECT_EQ(empty.str, "");
}

TEST(RedisReplyCopy, NestedArraysAreDeepCopied) {
  RedisReply reply = parse("*4\r\n:1\r\n$3\r\ntwo\r\n*2\r\n:3\r\n$-1\r\n*0\r\n");
  ASSERT_EQ(reply.type, RedisReply::Type::array);
  ASSERT_EQ(reply.elements.size(), 4u);
  EXPECT_EQ(reply.elements[0].integer, 1);
  EXPECT_EQ(reply.elements[1].str, "two");
  ASSERT_EQ(reply.elements[2].type, RedisReply::Type::array);
  ASSERT_EQ(reply.elements[2].elements.size(), 2u);
  EXPECT_EQ(reply.elements[2].elements[0].integer, 3);
  EXPECT_TRUE(reply.elements[2].elements[1].is_nil());
  EXPECT_EQ(reply.elements[3].type, RedisReply::Type::array);
  EXPECT_TRUE(reply.elements[3].elements.empty());

  RedisReply expected{RedisReply::Type::array, 0, {}, {}};
  expected.elements.push_back({RedisReply::Type::integer, 1, {}, {}});
  expected.elements.push_back({RedisReply::Type::string, 0, "two", {}});
  expected.elements.push_back(
      {RedisReply::Type::array, 0, {}, {{RedisReply::Type::integer, 3, {}, {}}, {}}});
  expected.elements.push_back({RedisReply::Type::array, 0, {}, {}});
  EXPECT_EQ(reply, expected);
}

TEST(RedisReplyCopy, NilArray) {
  RedisReply reply = parse("*-1\r\n");
  EXPECT_EQ(reply.type, RedisReply::Type::nil);
}

TEST(RedisReplyType, Names) {
  EXPECT_EQ(to_string(RedisReply::Type::error), "error");
  EXPECT_EQ(to_string(RedisReply::Type::array), "array");
}

}  // namespace
}  // namespace authsvc::storage
