#pragma once

#include <boost/json/value.hpp>
#include <string_view>

namespace authsvc::http {

enum class JsonBodyProblem { none, malformed, duplicate_key };

struct StrictJson {
  boost::json::value value;
  JsonBodyProblem problem = JsonBodyProblem::none;
};

// Parses a request body as JSON and refuses an object that names a key twice (SPEC R1): parsers
// disagree on which copy wins, so a body that two of them read differently is refused outright.
// Keys are compared after unescaping ("a" and "\u0061" are the same key).
StrictJson parse_strict_json(std::string_view body);

// Whether a Content-Type header names JSON: application/json, any case, parameters allowed.
bool is_json_media_type(std::string_view content_type);

}  // namespace authsvc::http
