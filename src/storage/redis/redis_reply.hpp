#pragma once

#include <string>
#include <string_view>
#include <vector>

struct redisReply;  // hiredis (typedef struct redisReply {...} redisReply)

namespace authsvc::storage {

// One Redis reply, owned (a deep copy of what hiredis parsed). A server error (e.g. WRONGTYPE) is a
// reply of Type::error with the message in `str`, not a failed Result.
struct RedisReply {
  enum class Type { nil, integer, string, status, error, array };

  Type type = Type::nil;
  long long integer = 0;             // Type::integer
  std::string str;                   // Type::string, status and error (binary safe)
  std::vector<RedisReply> elements;  // Type::array

  bool is_nil() const noexcept { return type == Type::nil; }
  bool is_error() const noexcept { return type == Type::error; }
  bool is_string() const noexcept { return type == Type::string; }
  bool is_integer() const noexcept { return type == Type::integer; }
  bool is_array() const noexcept { return type == Type::array; }
  // True for the +OK status reply.
  bool is_ok_status() const noexcept { return type == Type::status && str == "OK"; }

  bool operator==(const RedisReply&) const = default;
};

std::string_view to_string(RedisReply::Type type) noexcept;

// Deep-copies a reply that hiredis owns (and frees after the callback returns).
RedisReply copy_hiredis_reply(const redisReply& reply);

}  // namespace authsvc::storage
