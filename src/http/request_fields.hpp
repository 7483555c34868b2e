#pragma once

#include <cstddef>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "http/http_message.hpp"

namespace authsvc::http {

// One expected member of a JSON request body.
struct FieldRule {
  std::string_view name;
  bool required = false;
  std::size_t max_length = 0;  // in bytes; 0: no limit
  bool nullable = false;       // JSON null accepted (it clears the value)
};

enum class UnknownFields { reject, ignore };

// The members that were present: nullopt for an accepted JSON null.
struct RequestFields {
  std::map<std::string, std::optional<std::string>, std::less<>> values;

  bool has(std::string_view name) const { return values.find(name) != values.end(); }
  std::optional<std::string> get(std::string_view name) const {
    const auto it = values.find(name);
    return it == values.end() ? std::nullopt : it->second;
  }
  std::string get_or_empty(std::string_view name) const { return get(name).value_or(""); }
};

// Reads a JSON object body of string members the way the original service's marshmallow schemas
// did (SPEC R1). On failure `error` is the 400 answer: {"message": "..."} for a body that is not
// JSON, else {"message": {"<field>": ["<text>", ...]}} with the marshmallow texts
// "Missing data for required field.", "Not a valid string.", "Field may not be null.",
// "Unknown field.", "Longer than maximum length N.", and {"_schema": ["Invalid input type."]} for
// JSON that is not an object.
struct FieldsOrError {
  RequestFields fields;
  std::optional<HttpResponse> error;
};
FieldsOrError read_json_fields(std::string_view body, std::initializer_list<FieldRule> rules,
                               UnknownFields unknown);

// A 400 {"message": {"<field>": ["<text>"]}} for one field.
HttpResponse field_error(std::string_view field, std::string_view text);

// %XX escapes decoded (invalid ones kept as they are); with `plus_is_space`, '+' is a space (form
// bodies) rather than itself (URL paths).
std::string percent_decode(std::string_view text, bool plus_is_space);

// application/x-www-form-urlencoded (RFC 7009 / 7662 bodies).
std::map<std::string, std::string, std::less<>> parse_form(std::string_view body);

}  // namespace authsvc::http
