#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace authsvc::auth {

// The services allowed to call RFC 7662 introspection (INTROSPECTION_CLIENTS): client id and
// secret, the secret compared in constant time, and an unknown id costs the same as a known one.
class ServiceClients {
 public:
  using Secrets = std::map<std::string, std::string, std::less<>>;

  explicit ServiceClients(Secrets secrets) : secrets_(std::move(secrets)) {}

  bool authenticate(std::string_view client_id, std::string_view secret) const;

 private:
  Secrets secrets_;
};

}  // namespace authsvc::auth
