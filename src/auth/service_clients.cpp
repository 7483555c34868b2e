#include "auth/service_clients.hpp"

#include "crypto/constant_time.hpp"

namespace authsvc::auth {

bool ServiceClients::authenticate(std::string_view client_id, std::string_view secret) const {
  const auto known = secrets_.find(client_id);
  if (known == secrets_.end()) {
    // The same work as for a known client, so client ids cannot be probed by timing.
    (void)crypto::constant_time_equal(secret, secret);
    return false;
  }
  return crypto::constant_time_equal(secret, known->second);
}

}  // namespace authsvc::auth
