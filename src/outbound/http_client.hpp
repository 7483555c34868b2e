#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.hpp"

namespace authsvc::outbound {

// One outbound HTTP(S) exchange (OAuth token, user-info, discovery and JWKS calls).
struct OutboundRequest {
  std::string method = "GET";
  std::string url;  // http:// or https://
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct OutboundResponse {
  unsigned status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;

  std::optional<std::string_view> header(std::string_view lower_name) const;
};

// The seam to the outside: tests may stand in for it, the service uses BeastHttpClient. Failures:
// InfraErrc::unavailable (cannot connect, TLS refused, connection lost), InfraErrc::timeout (a
// deadline passed), InfraErrc::overloaded (answer larger than allowed), InfraErrc::internal (a bad
// URL). Any HTTP status is a response, not an error.
class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual boost::asio::awaitable<Result<OutboundResponse>> send(OutboundRequest request) = 0;
};

}  // namespace authsvc::outbound
