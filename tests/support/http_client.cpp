#include "support/http_client.hpp"

#include <poll.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>

namespace authsvc::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

boost::json::value HttpResult::json() const {
  return boost::json::parse(body);
}

std::string HttpResult::header(const std::string& lower_name) const {
  const auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

struct HttpClient::Impl {
  asio::io_context io;
  tcp::socket socket{io};
  std::string host;
  std::uint16_t port;
  beast::flat_buffer buffer;

  void ensure_connected() {
    if (socket.is_open()) return;
    socket.connect(tcp::endpoint(asio::ip::make_address(host), port));
    buffer.clear();
  }
};

HttpClient::HttpClient(std::uint16_t port, std::string host) : impl_(new Impl) {
  impl_->host = std::move(host);
  impl_->port = port;
}

HttpClient::~HttpClient() {
  delete impl_;
}

HttpResult HttpClient::request(const std::string& method, const std::string& target,
                               const std::string& body,
                               const std::vector<std::pair<std::string, std::string>>& headers) {
  for (int attempt = 0;; ++attempt) {
    try {
      impl_->ensure_connected();
      bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
      req.set(bhttp::field::host, impl_->host);
      bool has_type = false;
      for (const auto& [name, value] : headers) {
        req.set(name, value);
        if (beast::iequals(name, "content-type")) has_type = true;
      }
      if (!body.empty() && !has_type) req.set(bhttp::field::content_type, "application/json");
      req.body() = body;
      req.prepare_payload();
      bhttp::write(impl_->socket, req);
      bhttp::response_parser<bhttp::string_body> parser;
      parser.body_limit(64 * 1024 * 1024);
      if (method == "HEAD") parser.skip(true);
      bhttp::read(impl_->socket, impl_->buffer, parser);
      const auto& res = parser.get();
      HttpResult out;
      out.status = res.result_int();
      for (const auto& field : res) {
        std::string name(field.name_string());
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        out.headers[name] = std::string(field.value());
      }
      out.body = res.body();
      if (!res.keep_alive()) {
        beast::error_code ignored;
        impl_->socket.close(ignored);
      }
      return out;
    } catch (const beast::system_error&) {
      // A keep-alive connection the server closed meanwhile: reconnect once.
      beast::error_code ignored;
      impl_->socket.close(ignored);
      if (attempt > 0) throw;
    }
  }
}

std::string send_raw(std::uint16_t port, const std::string& bytes, int timeout_ms) {
  asio::io_context io;
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  beast::error_code ec;
  asio::write(socket, asio::buffer(bytes), ec);
  // Half-close: the server sees the end of input instead of waiting for a body that never comes.
  socket.shutdown(tcp::socket::shutdown_send, ec);
  std::string answer;
  char chunk[4096];
  pollfd pfd{socket.native_handle(), POLLIN, 0};
  while (poll(&pfd, 1, timeout_ms) > 0) {
    const std::size_t n = socket.read_some(asio::buffer(chunk), ec);
    if (ec || n == 0) break;
    answer.append(chunk, n);
  }
  return answer;
}

}  // namespace authsvc::test
