#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "outbound/http_client.hpp"

namespace authsvc::outbound {

struct HttpClientOptions {
  std::chrono::milliseconds connect_timeout{3'000};   // DNS, TCP and TLS handshake
  std::chrono::milliseconds request_timeout{10'000};  // writing the request, reading the answer
  std::size_t max_response_bytes = 1024 * 1024;
  std::size_t max_idle_per_origin = 4;  // kept-alive connections per scheme://host:port
  std::chrono::seconds idle_timeout{30};
  // Trust anchors besides the system store (PEM), e.g. a private CA; empty: the system store only.
  std::string extra_ca_file;
};

// HttpClient over Boost.Beast on the caller's executor (never blocking it): TLS with certificate
// and host-name verification against the system's trust store (and SNI), deadlines on connecting
// and on the exchange, a cap on the answer's size, and kept-alive connections reused per origin.
// Thread-safe.
class BeastHttpClient final : public HttpClient {
 public:
  explicit BeastHttpClient(HttpClientOptions options);
  ~BeastHttpClient() override;
  BeastHttpClient(const BeastHttpClient&) = delete;
  BeastHttpClient& operator=(const BeastHttpClient&) = delete;

  boost::asio::awaitable<Result<OutboundResponse>> send(OutboundRequest request) override;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace authsvc::outbound
