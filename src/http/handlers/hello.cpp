#include "http/handlers/handlers.hpp"

namespace authsvc::http {

// GET /api/v1/auth/hello: a plain-text greeting for a valid access token.
Handler hello() {
  return [](RequestContext&) -> boost::asio::awaitable<HttpResponse> {
    co_return HttpResponse::text(200, "Hello", "text/html; charset=utf-8");
  };
}

}  // namespace authsvc::http
