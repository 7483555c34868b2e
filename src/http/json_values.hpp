#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>

namespace authsvc::http {

// A nullable text column as JSON: the string, or null.
inline boost::json::value json_or_null(const std::optional<std::string>& value) {
  return value ? boost::json::value(*value) : boost::json::value(nullptr);
}

}  // namespace authsvc::http
