#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace authsvc::storage {

// Where and how to reach one Redis server. Defaults match a local development server.
struct RedisConfig {
  std::string host = "127.0.0.1";
  int port = 6379;
  int db = 0;
  std::string user;      // Redis 6 ACL user; empty = AUTH <password> only
  std::string password;  // empty = no AUTH
  std::chrono::milliseconds connect_timeout{1000};
  std::chrono::milliseconds command_timeout{1000};
};

// Parses `redis://[[user]:password@]host[:port][/db]` (user and password may be percent-encoded,
// an IPv6 host is written in brackets). On failure the error's detail names what is wrong, and
// never repeats the password. Timeouts keep their defaults.
Result<RedisConfig> parse_redis_url(std::string_view url);

// "host:port/db" for logs and error details (never the password).
std::string describe_redis_target(const RedisConfig& config);

}  // namespace authsvc::storage
