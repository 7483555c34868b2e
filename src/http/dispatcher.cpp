#include "http/dispatcher.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>

#include "common/ids.hpp"
#include "common/log.hpp"
#include "http/body_type.hpp"
#include "tracing/request_scope.hpp"

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

// Span names and the method attribute take only the methods HTTP defines: clients choose the
// method, and span names must stay few.
std::string span_method(const std::string& method) {
  static constexpr std::string_view kKnown[] = {"GET",   "HEAD",   "POST",   "PUT",
                                                "PATCH", "DELETE", "OPTIONS"};
  return std::find(std::begin(kKnown), std::end(kKnown), method) != std::end(kKnown) ? method
                                                                                     : "HTTP";
}

void log_request(const RequestContext& context, const HttpResponse& response,
                 const tracing::TraceContext& trace) {
  const auto level = response.status >= 500 ? spdlog::level::warn : spdlog::level::info;
  if (!spdlog::should_log(level)) return;  // the fields below cost allocations
  const auto elapsed = std::chrono::steady_clock::now() - context.started;
  const double latency_ms = std::chrono::duration<double, std::milli>(elapsed).count();
  log_event(level, "request",
            {{"request_id", boost::json::value(context.request_id)},
             {"trace_id", boost::json::value(trace.trace_id.hex())},
             {"span_id", boost::json::value(trace.span_id.hex())},
             {"method", boost::json::value(context.request.method)},
             {"route", boost::json::value(context.route)},
             {"status", boost::json::value(response.status)},
             {"latency_ms", boost::json::value(latency_ms)},
             {"peer", boost::json::value(context.request.peer_ip)}});
}

std::optional<tracing::TraceContext> incoming_trace(const HttpRequest& request) {
  const auto header = request.header("traceparent");
  if (!header) return std::nullopt;
  auto context = tracing::parse_traceparent(*header);
  if (context) {
    if (const auto state = request.header("tracestate")) {
      context->trace_state = tracing::sanitize_tracestate(*state);
    }
  }
  return context;
}

// OpenTelemetry's HTTP server conventions.
void describe_request(tracing::Span& span, const RequestContext& context) {
  const std::string method = span_method(context.request.method);
  span.set("http.request.method", method == "HTTP" ? std::string("_OTHER") : method);
  span.set("url.path", context.request.path);
  span.set("url.scheme", "http");
  span.set("client.address", context.request.peer_ip);
  if (const auto agent = context.request.header("user-agent")) {
    span.set("user_agent.original", *agent);
  }
}

void describe_response(tracing::Span& span, const RequestContext& context,
                       const HttpResponse& response) {
  if (context.route != "-") {
    span.rename(span_method(context.request.method) + " " + std::string(context.route));
    span.set("http.route", context.route);
  }
  span.set("http.response.status_code", response.status);
  // A server span fails on 5xx only: a 4xx is the client's mistake, handled as designed.
  if (response.status >= 500) span.set_error("HTTP " + std::to_string(response.status));
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
  if (index == middleware_.size()) {
    if (auto refusal = body_type_refusal(route.policy.body, context.request)) co_return *refusal;
    co_return co_await route.handler(context);
  }
  Next next = [this, &route, index](RequestContext& ctx) {
    return run_chain(ctx, route, index + 1);
  };
  co_return co_await middleware_[index](context, route, std::move(next));
}

boost::asio::awaitable<HttpResponse> Dispatcher::dispatch(const HttpRequest& request) const {
  RequestContext context{request, {}, "-", {}};
  const auto incoming_id = request.header("x-request-id");
  const bool has_id = incoming_id && acceptable_request_id(*incoming_id);
  context.request_id = has_id ? std::string(*incoming_id) : correlation_id();
  const tracing::Tracer& tracer = options_.tracer != nullptr ? *options_.tracer : untraced_;
  auto trace = tracer.begin_request(incoming_trace(request), context.request_id,
                                    span_method(request.method));
  // Clients below (database, Redis, providers) find the request's trace through it.
  const tracing::RequestBinding binding(trace.active);
  if (trace.span.recording()) describe_request(trace.span, context);

  HttpResponse response;
  RouteMatch match = router_.match(request.method, request.path);
  const bool probe = match.kind == RouteMatch::Kind::found && match.route->policy.probe;
  if (options_.require_request_id && !has_id && !probe) {
    response = HttpResponse::message(400, "request id is required");
  } else {
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
  if (trace.span.recording()) describe_response(trace.span, context, response);
  trace.span.end();
  log_request(context, response, trace.active.context);
  if (options_.observer) options_.observer(context, response);
  co_return response;
}

}  // namespace authsvc::http
