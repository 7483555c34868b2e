#pragma once

#include <memory>

#include "outbound/http_client.hpp"

namespace authsvc::outbound {

// An HttpClient that carries the request's trace to the provider (W3C traceparent and tracestate,
// also when the request is not sampled, so the provider's own sampling can follow ours) and gives
// each call of a sampled request a client span: method, host, port, the URL without its query
// (which can carry codes and tokens), the answer's status; 4xx, 5xx and failures mark it failed.
class TracedHttpClient final : public HttpClient {
 public:
  explicit TracedHttpClient(std::unique_ptr<HttpClient> inner) : inner_(std::move(inner)) {}
  boost::asio::awaitable<Result<OutboundResponse>> send(OutboundRequest request) override;

 private:
  std::unique_ptr<HttpClient> inner_;
};

}  // namespace authsvc::outbound
