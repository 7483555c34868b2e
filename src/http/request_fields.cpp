#include "http/request_fields.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "http/strict_json.hpp"

namespace authsvc::http {
namespace {

constexpr std::string_view kMissing = "Missing data for required field.";
constexpr std::string_view kNotString = "Not a valid string.";
constexpr std::string_view kNull = "Field may not be null.";
constexpr std::string_view kUnknown = "Unknown field.";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+' && plus_is_space) {
      out += ' ';
    } else if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
               hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

HttpResponse field_error(std::string_view field, std::string_view text) {
  boost::json::object errors;
  errors[field] = boost::json::array{boost::json::value(text)};
  return HttpResponse::json(400, boost::json::object{{"message", std::move(errors)}});
}

FieldsOrError read_json_fields(std::string_view body, std::initializer_list<FieldRule> rules,
                               UnknownFields unknown) {
  FieldsOrError out;
  const auto strict = parse_strict_json(body);
  if (strict.problem == JsonBodyProblem::malformed) {
    out.error = HttpResponse::message(400, "The request body is not valid JSON.");
    return out;
  }
  if (strict.problem == JsonBodyProblem::duplicate_key) {
    out.error = HttpResponse::message(400, "The request body names a key more than once.");
    return out;
  }
  const boost::json::value& parsed = strict.value;
  if (!parsed.is_object()) {
    boost::json::object errors{{"_schema", boost::json::array{"Invalid input type."}}};
    out.error = HttpResponse::json(400, boost::json::object{{"message", std::move(errors)}});
    return out;
  }
  const auto& object = parsed.get_object();
  boost::json::object errors;
  auto add_error = [&errors](std::string_view field, std::string_view text) {
    auto& list = errors[field];
    if (!list.is_array()) list = boost::json::array();
    list.get_array().emplace_back(text);
  };
  for (const auto& rule : rules) {
    const auto* value = object.if_contains(rule.name);
    if (!value) {
      if (rule.required) add_error(rule.name, kMissing);
      continue;
    }
    if (value->is_null()) {
      if (rule.nullable && !rule.required) {
        out.fields.values.emplace(std::string(rule.name), std::nullopt);
      } else {
        add_error(rule.name, kNull);
      }
      continue;
    }
    if (!value->is_string()) {
      add_error(rule.name, kNotString);
      continue;
    }
    const auto& text = value->get_string();
    // No stored text can hold a NUL (PostgreSQL refuses it, C strings end there).
    if (std::string_view(text).find('\0') != std::string_view::npos) {
      add_error(rule.name, kNotString);
      continue;
    }
    if (rule.max_length != 0 && text.size() > rule.max_length) {
      add_error(rule.name, "Longer than maximum length " + std::to_string(rule.max_length) + ".");
      continue;
    }
    out.fields.values.emplace(std::string(rule.name), std::string(text));
  }
  if (unknown == UnknownFields::reject) {
    for (const auto& member : object) {
      bool known = false;
      for (const auto& rule : rules) known = known || rule.name == member.key();
      if (!known) add_error(member.key(), kUnknown);
    }
  }
  if (!errors.empty()) {
    out.error = HttpResponse::json(400, boost::json::object{{"message", std::move(errors)}});
  }
  return out;
}

std::map<std::string, std::string, std::less<>> parse_form(std::string_view body) {
  std::map<std::string, std::string, std::less<>> out;
  while (!body.empty()) {
    const auto amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    std::string key = percent_decode(pair.substr(0, eq), true);
    std::string value =
        eq == std::string_view::npos ? std::string() : percent_decode(pair.substr(eq + 1), true);
    out.emplace(std::move(key), std::move(value));  // the first occurrence wins
  }
  return out;
}

}  // namespace authsvc::http
