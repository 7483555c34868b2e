#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tracing/span.hpp"

namespace authsvc::tracing {

// Who produced the spans: the OTLP resource and instrumentation scope.
struct OtlpResource {
  std::string service_name = "auth";
  std::string service_version;
  std::string instance_id;  // service.instance.id: tells the instances of one service apart
};

// One OTLP/HTTP JSON ExportTraceServiceRequest (opentelemetry-proto's JSON mapping: lowerCamelCase
// names, ids as lowercase hex, 64-bit integers as decimal strings, enums as numbers). Text that is
// not valid UTF-8 is repaired with U+FFFD, so the body is always valid JSON.
std::string encode_otlp_json(const std::vector<std::unique_ptr<SpanData>>& spans,
                             const OtlpResource& resource);

}  // namespace authsvc::tracing
