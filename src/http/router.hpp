#pragma once

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "http/http_message.hpp"
#include "http/request_context.hpp"

namespace authsvc::http {

using Handler = std::function<boost::asio::awaitable<HttpResponse>(RequestContext&)>;

// What a route requires of its caller (the "Auth" column of SPEC 2 and 3), enforced before the
// handler runs (http/middleware/access.hpp).
enum class Access {
  none,     // anyone
  access,   // an access token
  refresh,  // a refresh token
  admin,    // an access token of a superuser or of a holder of the role "admin"
  service,  // the client credentials of a configured service (RFC 7662 introspection)
};

// What a route reads from the request body (http/body_type.hpp).
enum class RequestBody { none, json, json_or_form };

// Per-route policy, read by middleware.
struct RoutePolicy {
  Access access = Access::none;
  bool rate_limited = false;  // SPEC R4: auth, roles and users routes
  // Answers without X-Request-Id even when one is required: container and load-balancer probes
  // send none.
  bool probe = false;
  RequestBody body = RequestBody::none;
};

// One row of the routing table. Patterns are literal segments and parameters: "{name}" matches
// any non-empty segment, "{name:uuid}" only a UUID (anything else is 404, SPEC R5).
struct Route {
  std::string method;
  std::string pattern;
  RoutePolicy policy;
  Handler handler;
};

struct RouteMatch {
  enum class Kind { found, not_found, method_not_allowed } kind = Kind::not_found;
  const Route* route = nullptr;
  std::vector<std::pair<std::string_view, std::string>> params;
  std::string allowed_methods;  // for 405's Allow header
};

// Routes as data: one table decides 404 and 405 in one place.
class Router {
 public:
  void add(Route route);
  RouteMatch match(std::string_view method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  struct Segment {
    enum class Kind { literal, any, uuid } kind;
    std::string text;  // literal text or parameter name
  };
  struct Compiled {
    std::vector<Segment> segments;
  };
  bool match_segments(const Compiled& compiled, std::string_view path,
                      std::vector<std::pair<std::string_view, std::string>>& params) const;

  std::vector<Route> routes_;
  std::vector<Compiled> compiled_;
};

}  // namespace authsvc::http
