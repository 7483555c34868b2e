#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace authsvc::tracing {

// W3C Trace Context identifiers (https://www.w3.org/TR/trace-context/). All-zero ids are invalid.
struct TraceId {
  std::array<std::uint8_t, 16> bytes{};
  bool valid() const noexcept;
  std::string hex() const;  // 32 lowercase hex digits
  friend bool operator==(const TraceId&, const TraceId&) = default;
};

struct SpanId {
  std::array<std::uint8_t, 8> bytes{};
  bool valid() const noexcept;
  std::string hex() const;  // 16 lowercase hex digits
  friend bool operator==(const SpanId&, const SpanId&) = default;
};

// What travels between services: the trace, the caller's span, the sampled flag and the vendor
// state (`tracestate`, passed on untouched).
struct TraceContext {
  TraceId trace_id;
  SpanId span_id;
  std::uint8_t flags = 0;
  std::string trace_state;

  bool sampled() const noexcept { return (flags & 0x01) != 0; }
};

// A `traceparent` header, or nullopt when it is not one (then the request starts a new trace, as
// the specification asks). Version 00 must be exactly 55 characters; later versions may append
// fields, which are ignored. Version ff is invalid.
std::optional<TraceContext> parse_traceparent(std::string_view header);
// `00-<trace id>-<span id>-<flags>`.
std::string format_traceparent(const TraceContext& context);
// A `tracestate` worth passing on: at most 512 characters of printable ASCII, else empty.
std::string sanitize_tracestate(std::string_view header);

// Random, valid ids (not secrets: a fast generator seeded from the system's randomness per thread).
TraceId random_trace_id();
SpanId random_span_id();

// The hex form of an id read back (32 or 16 lowercase hex digits), for trace ids chosen elsewhere
// (nginx's $request_id); nullopt when it is not one or is all zero.
std::optional<TraceId> trace_id_from_hex(std::string_view hex);

}  // namespace authsvc::tracing
