#include "support/otlp_receiver.hpp"

#include <sys/socket.h>
#include <sys/time.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <mutex>
#include <thread>

namespace authsvc::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;

struct OtlpReceiver::Impl {
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor{io, {asio::ip::make_address("127.0.0.1"), 0}};
  mutable std::mutex mutex;
  std::vector<boost::json::object> spans;  // guarded
  std::size_t requests = 0;                // guarded
  std::atomic<bool> stopping{false};
  std::thread thread;

  void keep(const std::string& body) {
    const auto parsed = boost::json::parse(body);
    const std::lock_guard lock(mutex);
    ++requests;
    for (const auto& resource : parsed.at("resourceSpans").as_array()) {
      std::string service;
      for (const auto& attribute : resource.at("resource").at("attributes").as_array()) {
        if (attribute.at("key") == "service.name") {
          service = attribute.at("value").at("stringValue").as_string().c_str();
        }
      }
      for (const auto& scope : resource.at("scopeSpans").as_array()) {
        for (const auto& span : scope.at("spans").as_array()) {
          auto copy = span.as_object();
          copy["service"] = service;
          spans.push_back(std::move(copy));
        }
      }
    }
  }

  void serve() {
    for (;;) {
      beast::error_code ec;
      asio::ip::tcp::socket socket(io);
      acceptor.accept(socket, ec);
      if (ec || stopping) return;
      // An idle kept-alive connection is dropped after a while, so the loop gets back to accept.
      const timeval patience{0, 300'000};
      setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &patience, sizeof patience);
      beast::flat_buffer buffer;
      for (;;) {  // keep-alive: the exporter reuses its connection
        bhttp::request<bhttp::string_body> request;
        bhttp::read(socket, buffer, request, ec);
        if (ec) break;
        bhttp::response<bhttp::string_body> response{bhttp::status::ok, request.version()};
        if (request.target() == "/v1/traces" && request.method() == bhttp::verb::post) {
          keep(request.body());
          response.set(bhttp::field::content_type, "application/json");
          response.body() = R"({"partialSuccess":{}})";
        } else {
          response.result(bhttp::status::not_found);
        }
        response.keep_alive(request.keep_alive());
        response.prepare_payload();
        bhttp::write(socket, response, ec);
        if (ec || !request.keep_alive()) break;
      }
    }
  }
};

OtlpReceiver::OtlpReceiver() : impl_(std::make_unique<Impl>()) {
  impl_->thread = std::thread([impl = impl_.get()] { impl->serve(); });
}

OtlpReceiver::~OtlpReceiver() {
  impl_->stopping = true;
  // Wakes the blocking accept, which then sees `stopping`.
  beast::error_code ec;
  asio::ip::tcp::socket poke(impl_->io);
  poke.connect(impl_->acceptor.local_endpoint(ec), ec);
  impl_->thread.join();
}

std::string OtlpReceiver::traces_url() const {
  return "http://127.0.0.1:" + std::to_string(impl_->acceptor.local_endpoint().port()) +
         "/v1/traces";
}

std::vector<boost::json::object> OtlpReceiver::spans() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->spans;
}

std::size_t OtlpReceiver::requests() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->requests;
}

std::vector<boost::json::object> OtlpReceiver::wait_for(
    const std::function<bool(const std::vector<boost::json::object>&)>& done,
    std::chrono::seconds limit) const {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    auto seen = spans();
    if (done(seen) || std::chrono::steady_clock::now() > deadline) return seen;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::string span_attribute(const boost::json::object& span, const std::string& key) {
  for (const auto& attribute : span.at("attributes").as_array()) {
    if (attribute.at("key").as_string() != key) continue;
    const auto& value = attribute.at("value").as_object();
    if (const auto* text = value.if_contains("stringValue")) return text->as_string().c_str();
    if (const auto* number = value.if_contains("intValue")) return number->as_string().c_str();
    return boost::json::serialize(value);
  }
  return {};
}

std::vector<boost::json::object> spans_of_trace(const std::vector<boost::json::object>& spans,
                                                const std::string& trace_id) {
  std::vector<boost::json::object> out;
  for (const auto& span : spans) {
    if (span.at("traceId").as_string() == trace_id) out.push_back(span);
  }
  return out;
}

}  // namespace authsvc::test
