#include "http/bearer.hpp"

#include <vector>

#include "tokens/token_errc.hpp"

namespace authsvc::http {
namespace {

std::vector<std::string_view> split_whitespace(std::string_view text) {
  std::vector<std::string_view> parts;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    const std::size_t start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\t') ++i;
    if (i > start) parts.push_back(text.substr(start, i - start));
  }
  return parts;
}

}  // namespace

Result<std::string> bearer_token(const HttpRequest& request) {
  return bearer_token(request.header("authorization"));
}

Result<std::string> bearer_token(std::optional<std::string_view> authorization) {
  using tokens::token_error;
  using tokens::TokenErrc;
  const auto parts =
      authorization ? split_whitespace(*authorization) : std::vector<std::string_view>{};
  if (parts.empty()) return token_error(TokenErrc::missing_header, "Missing Authorization Header");
  if (parts.front() != "Bearer") {
    return token_error(TokenErrc::wrong_scheme,
                       "Missing 'Bearer' type in 'Authorization' header. Expected 'Authorization: "
                       "Bearer <JWT>'");
  }
  if (parts.size() != 2) {
    return token_error(TokenErrc::bad_header,
                       "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'");
  }
  return std::string(parts[1]);
}

}  // namespace authsvc::http
