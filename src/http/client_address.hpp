#pragma once

#include <string>
#include <vector>

#include "auth/client_info.hpp"
#include "http/http_message.hpp"

namespace authsvc::http {

// The client's address: the peer, or X-Real-IP / the first X-Forwarded-For hop when the peer is a
// trusted proxy.
std::string client_ip(const HttpRequest& request, const std::vector<std::string>& trusted_proxies);
// The client's address and User-Agent, kept with a login.
auth::ClientInfo client_info(const HttpRequest& request,
                             const std::vector<std::string>& trusted_proxies);
// The external base URL: `public_url` when set, else from Host (and X-Forwarded-Proto from a
// trusted proxy).
std::string public_base_url(const HttpRequest& request, const std::string& public_url,
                            const std::vector<std::string>& trusted_proxies);

}  // namespace authsvc::http
