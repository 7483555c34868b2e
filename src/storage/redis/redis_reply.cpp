#include "storage/redis/redis_reply.hpp"

#include <hiredis/hiredis.h>

namespace authsvc::storage {

std::string_view to_string(RedisReply::Type type) noexcept {
  switch (type) {
    case RedisReply::Type::nil:
      return "nil";
    case RedisReply::Type::integer:
      return "integer";
    case RedisReply::Type::string:
      return "string";
    case RedisReply::Type::status:
      return "status";
    case RedisReply::Type::error:
      return "error";
    case RedisReply::Type::array:
      return "array";
  }
  return "unknown";
}

RedisReply copy_hiredis_reply(const redisReply& reply) {
  RedisReply out;
  switch (reply.type) {
    case REDIS_REPLY_STRING:
      out.type = RedisReply::Type::string;
      break;
    case REDIS_REPLY_STATUS:
      out.type = RedisReply::Type::status;
      break;
    case REDIS_REPLY_ERROR:
      out.type = RedisReply::Type::error;
      break;
    case REDIS_REPLY_INTEGER:
      out.type = RedisReply::Type::integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = RedisReply::Type::array;
      break;
    case REDIS_REPLY_NIL:
    default:
      out.type = RedisReply::Type::nil;
      break;
  }
  switch (out.type) {
    case RedisReply::Type::string:
    case RedisReply::Type::status:
    case RedisReply::Type::error:
      if (reply.str != nullptr) out.str.assign(reply.str, reply.len);
      break;
    case RedisReply::Type::integer:
      out.integer = reply.integer;
      break;
    case RedisReply::Type::array:
      out.elements.reserve(reply.elements);
      for (std::size_t i = 0; i < reply.elements; ++i) {
        if (reply.element[i] != nullptr) {
          out.elements.push_back(copy_hiredis_reply(*reply.element[i]));
        } else {
          out.elements.emplace_back();
        }
      }
      break;
    case RedisReply::Type::nil:
      break;
  }
  return out;
}

}  // namespace authsvc::storage
