#include "http/dispatcher.hpp"

#include <spdlog/spdlog.h>

#include <exception>

#include "common/ids.hpp"
#include "common/log.hpp"

namespace authsvc::http {
namespace {

// nginx sets $request_id (32 hex); clients may send UUIDs. Anything printable and short is kept,
// anything else is replaced, so the id is safe to echo and to log.
bool acceptable_request_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (const char c : id) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= ' ' || u >= 0x7f) return false;
  }
  return true;
}

void log_request(const RequestContext& context, const HttpResponse& response) {
  const auto level = response.status >= 500 ? spdlog::level::warn : spdlog::level::info;
  if (!spdlog::should_log(level)) return;  // the fields below cost allocations
  const auto elapsed = std::chrono::steady_clock::now() - context.started;
  const double latency_ms = std::chrono::duration<double, std::milli>(elapsed).count();
  log_event(level, "request",
            {{"request_id", boost::json::value(context.request_id)},
             {"method", boost::json::value(context.request.method)},
             {"route", boost::json::value(context.route)},
             {"status", boost::json::value(response.status)},
             {"latency_ms", boost::json::value(latency_ms)},
             {"peer", boost::json::value(context.request.peer_ip)}});
}

}  // namespace

Dispatcher::Dispatcher(Router router, DispatcherOptions options)
    : router_(std::move(router)), options_(options) {}

void Dispatcher::use(Middleware middleware) {
  middleware_.push_back(std::move(middleware));
}

boost::asio::awaitable<HttpResponse> Dispatcher::run_chain(RequestContext& context,
                                                           const Route& route,
                                                           std::size_t index) const {
  if (index == middleware_.size()) co_return co_await route.handler(context);
  Next next = [this, &route, index](RequestContext& ctx) {
    return run_chain(ctx, route, index + 1);
  };
  co_return co_await middleware_[index](context, route, std::move(next));
}

boost::asio::awaitable<HttpResponse> Dispatcher::dispatch(const HttpRequest& request) const {
  RequestContext context{request, {}, "-", {}};
  const auto incoming_id = request.header("x-request-id");
  HttpResponse response;
  if (incoming_id && acceptable_request_id(*incoming_id)) {
    context.request_id = std::string(*incoming_id);
  } else {
    context.request_id = correlation_id();
  }

  if (options_.require_request_id && !(incoming_id && acceptable_request_id(*incoming_id))) {
    response = HttpResponse::message(400, "request id is required");
  } else {
    RouteMatch match = router_.match(request.method, request.path);
    if (match.kind == RouteMatch::Kind::not_found) {
      response = HttpResponse::message(404, "not found");
    } else if (match.kind == RouteMatch::Kind::method_not_allowed) {
      response = HttpResponse::message(405, "method not allowed");
      response.set_header("Allow", match.allowed_methods);
    } else {
      context.route = match.route->pattern;
      context.params = std::move(match.params);
      bool failed = false;
      try {
        response = co_await run_chain(context, *match.route, 0);
      } catch (const std::exception& e) {
        failed = true;
        log_event(spdlog::level::err, "unhandled exception",
                  {{"request_id", boost::json::value(context.request_id)},
                   {"what", boost::json::value(e.what())}});
      }
      if (failed) response = HttpResponse::message(500, "internal server error");
    }
  }
  response.set_header("X-Request-Id", context.request_id);
  log_request(context, response);
  if (options_.observer) options_.observer(context, response);
  co_return response;
}

}  // namespace authsvc::http
