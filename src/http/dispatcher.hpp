#pragma once

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <memory>
#include <vector>

#include "http/http_message.hpp"
#include "http/request_context.hpp"
#include "http/router.hpp"
#include "tracing/tracer.hpp"

namespace authsvc::http {

using Next = std::function<boost::asio::awaitable<HttpResponse>(RequestContext&)>;
// Middleware wraps the rest of the chain: it may answer itself or call next and adjust the answer.
using Middleware =
    std::function<boost::asio::awaitable<HttpResponse>(RequestContext&, const Route&, Next)>;

struct DispatcherOptions {
  bool require_request_id = false;
  // Sees every request and its answer once done (metrics).
  std::function<void(const RequestContext&, const HttpResponse&)> observer;
  // Begins each request's trace (W3C traceparent in, a server span); none: ids for the logs only.
  tracing::Tracer* tracer = nullptr;
};

// Turns one request into one response: request id, trace, routing (404/405), middleware, handler,
// and the single catch boundary that logs and answers 500. Every answer carries X-Request-Id.
class Dispatcher {
 public:
  Dispatcher(Router router, DispatcherOptions options);
  void use(Middleware middleware);
  boost::asio::awaitable<HttpResponse> dispatch(const HttpRequest& request) const;
  const Router& router() const { return router_; }

 private:
  boost::asio::awaitable<HttpResponse> run_chain(RequestContext& context, const Route& route,
                                                 std::size_t index) const;

  Router router_;
  DispatcherOptions options_;
  tracing::Tracer untraced_;  // the tracer when none is given: ids, no spans
  std::vector<Middleware> middleware_;
};

}  // namespace authsvc::http
