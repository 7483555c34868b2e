#include "tracing/otlp/otlp_json.hpp"

#include <fmt/format.h>

#include <cmath>

namespace authsvc::tracing {
namespace {

// Length of the valid UTF-8 sequence starting at text[i], or 0 when there is none.
std::size_t utf8_sequence(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  std::size_t length = 0;
  unsigned minimum = 0;
  unsigned code = 0;
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2, minimum = 0x80, code = lead & 0x1fU;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3, minimum = 0x800, code = lead & 0x0fU;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4, minimum = 0x10000, code = lead & 0x07U;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xc0U) != 0x80) return 0;
    code = code << 6 | (byte(i + k) & 0x3fU);
  }
  if (code < minimum || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return 0;
  return length;
}

void append_string(std::string& out, std::string_view text) {
  out += '"';
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      const std::size_t length = utf8_sequence(text, i);
      if (length == 0) {
        out += "\xef\xbf\xbd";  // U+FFFD
        ++i;
      } else {
        out.append(text.substr(i, length));
        i += length;
      }
      continue;
    }
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      out += fmt::format("\\u{:04x}", c);
    } else {
      out += static_cast<char>(c);
    }
    ++i;
  }
  out += '"';
}

void append_value(std::string& out, const AttributeValue& value) {
  if (const auto* text = std::get_if<std::string>(&value)) {
    out += R"({"stringValue":)";
    append_string(out, *text);
  } else if (const auto* number = std::get_if<std::int64_t>(&value)) {
    out += R"({"intValue":")" + std::to_string(*number) + '"';
  } else if (const auto* flag = std::get_if<bool>(&value)) {
    out += *flag ? R"({"boolValue":true)" : R"({"boolValue":false)";
  } else {
    const double real = std::get<double>(value);
    // JSON has no NaN or infinity; protobuf's JSON mapping writes them as strings.
    if (std::isnan(real)) {
      out += R"({"doubleValue":"NaN")";
    } else if (std::isinf(real)) {
      out += real > 0 ? R"({"doubleValue":"Infinity")" : R"({"doubleValue":"-Infinity")";
    } else {
      out += R"({"doubleValue":)" + fmt::format("{}", real);
    }
  }
  out += '}';
}

void append_attributes(std::string& out, const std::vector<Attribute>& attributes) {
  out += '[';
  for (std::size_t i = 0; i < attributes.size(); ++i) {
    if (i > 0) out += ',';
    out += R"({"key":)";
    append_string(out, attributes[i].key);
    out += R"(,"value":)";
    append_value(out, attributes[i].value);
    out += '}';
  }
  out += ']';
}

void append_span(std::string& out, const SpanData& span) {
  out += R"({"traceId":")" + span.trace_id.hex() + R"(","spanId":")" + span.span_id.hex() + '"';
  if (span.parent_span_id.valid()) out += R"(,"parentSpanId":")" + span.parent_span_id.hex() + '"';
  out += R"(,"name":)";
  append_string(out, span.name);
  out += R"(,"kind":)" + std::to_string(static_cast<int>(span.kind));
  out += R"(,"startTimeUnixNano":")" + std::to_string(span.start_unix_nanos) + '"';
  out += R"(,"endTimeUnixNano":")" + std::to_string(span.end_unix_nanos) + '"';
  out += R"(,"attributes":)";
  append_attributes(out, span.attributes);
  if (span.status != SpanStatus::unset) {
    out += R"(,"status":{"code":)" + std::to_string(static_cast<int>(span.status));
    if (!span.status_message.empty()) {
      out += R"(,"message":)";
      append_string(out, span.status_message);
    }
    out += '}';
  }
  out += '}';
}

}  // namespace

std::string encode_otlp_json(const std::vector<std::unique_ptr<SpanData>>& spans,
                             const OtlpResource& resource) {
  std::vector<Attribute> resource_attributes{{"service.name", resource.service_name},
                                             {"telemetry.sdk.language", std::string("cpp")}};
  if (!resource.service_version.empty()) {
    resource_attributes.push_back({"service.version", resource.service_version});
  }
  if (!resource.instance_id.empty()) {
    resource_attributes.push_back({"service.instance.id", resource.instance_id});
  }
  std::string out;
  out.reserve(256 + spans.size() * 512);
  out += R"({"resourceSpans":[{"resource":{"attributes":)";
  append_attributes(out, resource_attributes);
  out += R"(},"scopeSpans":[{"scope":{"name":"authsvc")";
  if (!resource.service_version.empty()) {
    out += R"(,"version":)";
    append_string(out, resource.service_version);
  }
  out += R"(},"spans":[)";
  for (std::size_t i = 0; i < spans.size(); ++i) {
    if (i > 0) out += ',';
    append_span(out, *spans[i]);
  }
  out += "]}]}]}";
  return out;
}

}  // namespace authsvc::tracing
