#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "http/http_message.hpp"

namespace authsvc::http {

struct ClientCredentials {
  std::string id;
  std::string secret;
};

// The credentials of `Authorization: Basic <base64(id:secret)>` (RFC 7617; padding optional);
// nullopt for another scheme or an undecodable value.
std::optional<ClientCredentials> basic_credentials(std::string_view authorization);
// HTTP Basic, else client_id and client_secret among the request's parameters (RFC 6749 2.3.1).
std::optional<ClientCredentials> client_credentials(
    const HttpRequest& request, const std::map<std::string, std::string, std::less<>>& parameters);

}  // namespace authsvc::http
