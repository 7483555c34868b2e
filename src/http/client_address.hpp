#pragma once

#include <string>

#include "auth/client_info.hpp"
#include "common/ip_range.hpp"
#include "http/http_message.hpp"

namespace authsvc::http {

// The client's address, normalised (SPEC R4). When the peer is a trusted proxy, the hops it
// reports (X-Forwarded-For, then its X-Real-IP as the nearest) are walked from the right, and the
// first one that is not itself a trusted proxy is the client: the entries to its left were written
// by whoever the client is, and prove nothing. A hop that is not an address ends the walk at the
// last trusted hop. With no trusted proxies (the default) the peer is the client.
std::string client_ip(const HttpRequest& request, const IpRangeList& trusted_proxies);
// The client's address and User-Agent, kept with a login.
auth::ClientInfo client_info(const HttpRequest& request, const IpRangeList& trusted_proxies);
// The external base URL: `public_url` when set, else from Host (and X-Forwarded-Proto from a
// trusted proxy).
std::string public_base_url(const HttpRequest& request, const std::string& public_url,
                            const IpRangeList& trusted_proxies);

}  // namespace authsvc::http
