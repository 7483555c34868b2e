#include "storage/redis/redis_config.hpp"

#include <gtest/gtest.h>

#include <string>
#include <system_error>

namespace authsvc::storage {
namespace {

RedisConfig parse_ok(std::string_view url) {
  auto parsed = parse_redis_url(url);
  EXPECT_TRUE(parsed.ok()) << url << ": " << (parsed.ok() ? "" : parsed.error().describe());
  return parsed.ok() ? parsed.value() : RedisConfig{};
}

// The error's detail, which must name what is wrong.
std::string parse_error(std::string_view url) {
  auto parsed = parse_redis_url(url);
  EXPECT_FALSE(parsed.ok()) << url << " was accepted";
  if (parsed.ok()) return {};
  EXPECT_EQ(parsed.error().code, std::make_error_code(std::errc::invalid_argument));
  return parsed.error().detail;
}

TEST(RedisUrl, HostOnlyKeepsDefaults) {
  const RedisConfig c = parse_ok("redis://cache.internal");
  EXPECT_EQ(c.host, "cache.internal");
  EXPECT_EQ(c.port, 6379);
  EXPECT_EQ(c.db, 0);
  EXPECT_EQ(c.user, "");
  EXPECT_EQ(c.password, "");
  EXPECT_EQ(c.connect_timeout, std::chrono::milliseconds(1000));
  EXPECT_EQ(c.command_timeout, std::chrono::milliseconds(1000));
}

TEST(RedisUrl, HostPortAndDb) {
  const RedisConfig c = parse_ok("redis://127.0.0.1:56379/3");
  EXPECT_EQ(c.host, "127.0.0.1");
  EXPECT_EQ(c.port, 56379);
  EXPECT_EQ(c.db, 3);
}

TEST(RedisUrl, TrailingSlashMeansDbZero) {
  const RedisConfig c = parse_ok("redis://localhost:6380/");
  EXPECT_EQ(c.port, 6380);
  EXPECT_EQ(c.db, 0);
}

TEST(RedisUrl, SchemeIsCaseInsensitive) {
  EXPECT_EQ(parse_ok("REDIS://h:1").port, 1);
}

TEST(RedisUrl, PasswordOnly) {
  const RedisConfig c = parse_ok("redis://:s3cret@h:7000/1");
  EXPECT_EQ(c.user, "");
  EXPECT_EQ(c.password, "s3cret");
  EXPECT_EQ(c.host, "h");
  EXPECT_EQ(c.port, 7000);
  EXPECT_EQ(c.db, 1);
}

TEST(RedisUrl, UserAndPassword) {
  const RedisConfig c = parse_ok("redis://auth-svc:pw@h");
  EXPECT_EQ(c.user, "auth-svc");
  EXPECT_EQ(c.password, "pw");
  EXPECT_EQ(c.host, "h");
}

TEST(RedisUrl, PasswordIsPercentDecodedAndMayHoldSeparators) {
  EXPECT_EQ(parse_ok("redis://:p%40ss%3Aw%2Fd@h").password, "p@ss:w/d");
  // Unescaped '@', '/', '?' and ':' also belong to the password: only the last '@' ends it.
  const RedisConfig c = parse_ok("redis://:a@b/c?d:e@h:1/2");
  EXPECT_EQ(c.password, "a@b/c?d:e");
  EXPECT_EQ(c.host, "h");
  EXPECT_EQ(c.port, 1);
  EXPECT_EQ(c.db, 2);
}

TEST(RedisUrl, Ipv6InBrackets) {
  const RedisConfig c = parse_ok("redis://[::1]:6390/2");
  EXPECT_EQ(c.host, "::1");
  EXPECT_EQ(c.port, 6390);
  EXPECT_EQ(c.db, 2);
  EXPECT_EQ(parse_ok("redis://[fe80::1]").port, 6379);
  EXPECT_EQ(describe_redis_target(c), "[::1]:6390/2");
}

TEST(RedisUrl, DescribeNeverShowsThePassword) {
  const RedisConfig c = parse_ok("redis://u:topsecret@h:1/2");
  EXPECT_EQ(describe_redis_target(c), "h:1/2");
}

TEST(RedisUrl, RejectsMissingOrWrongScheme) {
  EXPECT_NE(parse_error("127.0.0.1:6379").find("expected redis://"), std::string::npos);
  EXPECT_NE(parse_error("http://h:6379").find("unsupported scheme 'http'"), std::string::npos);
  EXPECT_NE(parse_error("rediss://h:6379").find("TLS"), std::string::npos);
}

TEST(RedisUrl, RejectsMissingHost) {
  EXPECT_NE(parse_error("redis://").find("missing host"), std::string::npos);
  EXPECT_NE(parse_error("redis://:6379/0").find("missing host"), std::string::npos);
  EXPECT_NE(parse_error("redis://:pw@/0").find("missing host"), std::string::npos);
}

TEST(RedisUrl, RejectsBadPorts) {
  EXPECT_NE(parse_error("redis://h:abc").find("invalid port 'abc'"), std::string::npos);
  EXPECT_NE(parse_error("redis://h:0").find("invalid port '0'"), std::string::npos);
  EXPECT_NE(parse_error("redis://h:65536").find("invalid port '65536'"), std::string::npos);
  EXPECT_NE(parse_error("redis://h:").find("invalid port ''"), std::string::npos);
  EXPECT_NE(parse_error("redis://h:-1").find("invalid port"), std::string::npos);
  EXPECT_NE(parse_error("redis://h:99999999999999999999").find("invalid port"), std::string::npos);
}

TEST(RedisUrl, RejectsBadDatabase) {
  EXPECT_NE(parse_error("redis://h/x").find("invalid database number 'x'"), std::string::npos);
  EXPECT_NE(parse_error("redis://h/-1").find("invalid database number"), std::string::npos);
  EXPECT_NE(parse_error("redis://h/1/2").find("invalid database number '1/2'"), std::string::npos);
}

TEST(RedisUrl, RejectsMalformedCredentials) {
  EXPECT_NE(parse_error("redis://justapassword@h").find("[user]:password@"), std::string::npos);
  EXPECT_NE(parse_error("redis://:bad%zzescape@h").find("malformed %-escape in the password"),
            std::string::npos);
  EXPECT_NE(parse_error("redis://:bad%4@h").find("malformed %-escape in the password"),
            std::string::npos);
  EXPECT_NE(parse_error("redis://us%g1er:pw@h").find("malformed %-escape in the user"),
            std::string::npos);
}

TEST(RedisUrl, ErrorsNeverEchoThePassword) {
  for (const char* url : {"redis://:hunter2@h:bad", "redis://:hunter2@h/bad", "redis://:hunter2%@h",
                          "redis://:hunter2@", "redis://:hunter2@h?x=1"}) {
    EXPECT_EQ(parse_error(url).find("hunter2"), std::string::npos) << url;
  }
}

TEST(RedisUrl, RejectsQueryFragmentAndUnbracketedIpv6) {
  EXPECT_NE(parse_error("redis://h:1/0?timeout=5").find("query parameters are not supported"),
            std::string::npos);
  EXPECT_NE(parse_error("redis://h:1/0#x").find("fragments are not supported"), std::string::npos);
  EXPECT_NE(parse_error("redis://::1:6379").find("brackets"), std::string::npos);
  EXPECT_NE(parse_error("redis://[::1").find("unterminated '['"), std::string::npos);
  EXPECT_NE(parse_error("redis://[::1]x").find("after the IPv6 host"), std::string::npos);
}

}  // namespace
}  // namespace authsvc::storage
