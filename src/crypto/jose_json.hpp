#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace authsvc::crypto {

// Parses a JOSE header or a JWT claims set: UTF-8 JSON text whose top level must be an object.
//
// Error texts are those of Python's json.loads(bytes) (3.11), which PyJWT puts after
// "Invalid header string: " / "Invalid payload string: ", e.g.
//   "Expecting value: line 1 column 1 (char 0)"
//   "Expecting ',' delimiter: line 1 column 9 (char 8)"
//   "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte"
//   "must be a json object"                     (valid JSON, but not an object)
// so clients of the original service see the same message.
//
// Stricter than Python where Python would accept something dangerous or non-standard, with
// messages in the same "<what>: line L column C (char N)" shape:
//   "Duplicate key"          an object names a member twice (RFC 7515 section 5.2; a later
//                            duplicate must not silently override what another parser read)
//   "Non-standard constant"  NaN, Infinity, -Infinity
//   "Unpaired surrogate"     a lone UTF-16 surrogate, escaped or raw
//   "Nesting too deep"       more than kMaxJoseJsonDepth nested arrays/objects
//   "Unexpected UTF-8 BOM (decode using utf-8-sig)"
//   "JSON text must be UTF-8" (text Python would decode as UTF-16 or UTF-32)
// Never throws on any input.
inline constexpr std::size_t kMaxJoseJsonDepth = 32;

std::optional<boost::json::object> parse_jose_object(std::string_view bytes, std::string& error);

}  // namespace authsvc::crypto
