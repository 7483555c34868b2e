#include "http/client_credentials.hpp"

#include "crypto/base64url.hpp"

namespace authsvc::http {

std::optional<ClientCredentials> basic_credentials(std::string_view authorization) {
  if (!authorization.starts_with("Basic ")) return std::nullopt;
  std::string encoded(authorization.substr(6));
  while (!encoded.empty() && encoded.back() == '=') encoded.pop_back();
  for (char& c : encoded) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  const auto decoded = crypto::base64url_decode(encoded);
  if (!decoded) return std::nullopt;
  const auto colon = decoded->find(':');
  if (colon == std::string::npos) return std::nullopt;
  return ClientCredentials{decoded->substr(0, colon), decoded->substr(colon + 1)};
}

std::optional<ClientCredentials> client_credentials(
    const HttpRequest& request, const std::map<std::string, std::string, std::less<>>& parameters) {
  if (const auto header = request.header("authorization");
      header && header->starts_with("Basic ")) {
    return basic_credentials(*header);
  }
  const auto id = parameters.find("client_id");
  const auto secret = parameters.find("client_secret");
  if (id == parameters.end() || secret == parameters.end()) return std::nullopt;
  return ClientCredentials{id->second, secret->second};
}

}  // namespace authsvc::http
