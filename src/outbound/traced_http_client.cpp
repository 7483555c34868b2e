#include "outbound/traced_http_client.hpp"

#include <boost/url/parse.hpp>

#include "tracing/request_scope.hpp"

namespace authsvc::outbound {
namespace {

void describe_call(tracing::Span& span, const OutboundRequest& request) {
  span.set("http.request.method", request.method);
  const auto url = boost::urls::parse_absolute_uri(request.url);
  if (!url) return;
  span.set("server.address", std::string(url->host()));
  const bool https = url->scheme() == "https";
  span.set("server.port",
           url->has_port() ? static_cast<int>(url->port_number()) : (https ? 443 : 80));
  span.set("url.full", std::string(url->scheme()) + "://" +
                           std::string(url->encoded_host_and_port()) +
                           std::string(url->encoded_path()));
}

}  // namespace

boost::asio::awaitable<Result<OutboundResponse>> TracedHttpClient::send(OutboundRequest request) {
  auto span = tracing::start_child_span(request.method, tracing::SpanKind::client);
  if (span.recording()) describe_call(span, request);
  if (const auto context = tracing::outgoing_context(span)) {
    std::erase_if(request.headers, [](const auto& header) {
      return header.first == "traceparent" || header.first == "tracestate";
    });
    request.headers.emplace_back("traceparent", tracing::format_traceparent(*context));
    if (!context->trace_state.empty())
      request.headers.emplace_back("tracestate", context->trace_state);
  }
  auto response = co_await inner_->send(std::move(request));
  if (!response) {
    span.set_error(response.error().code.message());
  } else {
    span.set("http.response.status_code", response->status);
    if (response->status >= 400) span.set_error("HTTP " + std::to_string(response->status));
  }
  co_return response;
}

}  // namespace authsvc::outbound
