#pragma once

#include <boost/json/value.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace authsvc::test {

// An OTLP/HTTP JSON collector for integration tests, in-process on 127.0.0.1:0: it answers
// POST /v1/traces with 200 and keeps every span (each with its resource's service.name added as
// "service"). The schema-checking receiver of the end-to-end tests is tests/otlp/receiver.mjs.
class OtlpReceiver {
 public:
  OtlpReceiver();
  ~OtlpReceiver();
  OtlpReceiver(const OtlpReceiver&) = delete;
  OtlpReceiver& operator=(const OtlpReceiver&) = delete;

  std::string traces_url() const;
  std::vector<boost::json::object> spans() const;
  // Waits until `done(spans())` holds or `limit` passes; the spans seen last.
  std::vector<boost::json::object> wait_for(
      const std::function<bool(const std::vector<boost::json::object>&)>& done,
      std::chrono::seconds limit = std::chrono::seconds(10)) const;
  std::size_t requests() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Helpers over OTLP JSON spans.
std::string span_attribute(const boost::json::object& span, const std::string& key);
std::vector<boost::json::object> spans_of_trace(const std::vector<boost::json::object>& spans,
                                                const std::string& trace_id);

}  // namespace authsvc::test
