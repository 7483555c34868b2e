#include "http/server.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <list>
#include <optional>
#include <string_view>

#include "common/log.hpp"
#include "tracing/context_executor.hpp"

namespace authsvc::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// Parser failures become JSON answers (SPEC R5) before the connection closes.
HttpResponse response_for_read_error(const beast::error_code& ec) {
  if (ec == bhttp::error::header_limit)
    return HttpResponse::message(431, "request header fields too large");
  if (ec == bhttp::error::body_limit) return HttpResponse::message(413, "request body too large");
  return HttpResponse::message(400, "malformed HTTP request");
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// RFC 9112 §6.1 and §6.3: the only transfer coding read here is a lone "chunked". A request whose
// final coding is not chunked has no knowable length, and one with both Transfer-Encoding and
// Content-Length is read differently by different servers: both are how requests are smuggled
// past a proxy, so both are refused (400) and the connection closed. Other codings before
// chunked are valid HTTP that this server does not implement (501).
std::optional<HttpResponse> refuse_transfer_coding(
    const bhttp::request_parser<bhttp::string_body>& parser) {
  const auto& header = parser.get();
  const auto codings = header.count(bhttp::field::transfer_encoding);
  if (codings == 0) return std::nullopt;
  const std::string_view value = header[bhttp::field::transfer_encoding];
  const auto last_comma = value.rfind(',');
  const auto final_coding =
      trimmed(last_comma == std::string_view::npos ? value : value.substr(last_comma + 1));
  HttpResponse refusal;
  if (codings > 1 || !equals_ignoring_case(final_coding, "chunked") ||
      header.count(bhttp::field::content_length) > 0) {
    refusal = HttpResponse::message(400, "malformed HTTP request");
  } else if (!equals_ignoring_case(trimmed(value), "chunked")) {
    refusal = HttpResponse::message(501, "transfer coding not supported");
  } else {
    return std::nullopt;
  }
  refusal.close_connection = true;
  return refusal;
}

bool is_quiet_close(const beast::error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == asio::error::operation_aborted ||
         ec == beast::error::timeout || ec == asio::error::connection_reset ||
         ec == asio::error::eof || ec == asio::error::broken_pipe ||
         ec == bhttp::error::partial_message;
}

HttpRequest to_request(const bhttp::request<bhttp::string_body>& in, std::string peer_ip) {
  HttpRequest out;
  out.method = std::string(in.method_string());
  out.target = std::string(in.target());
  const auto question = out.target.find('?');
  out.path = out.target.substr(0, question);
  if (question != std::string::npos) out.query = out.target.substr(question + 1);
  out.headers.reserve(8);
  for (const auto& field : in) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  out.body = in.body();
  out.peer_ip = std::move(peer_ip);
  return out;
}

bhttp::response<bhttp::string_body> to_beast(HttpResponse&& in, unsigned version, bool keep_alive,
                                             bool head) {
  bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(in.status), version};
  out.set(bhttp::field::server, "auth");
  // Every answer is JSON or a file of the documentation with its type: never guessed at.
  out.set("X-Content-Type-Options", "nosniff");
  if (!in.content_type.empty()) out.set(bhttp::field::content_type, in.content_type);
  for (auto& [name, value] : in.headers) out.set(name, value);
  out.keep_alive(keep_alive && !in.close_connection);
  const auto size = in.body.size();
  out.body() = std::move(in.body);
  out.prepare_payload();
  if (head) {
    out.body().clear();
    out.content_length(size);
  }
  return out;
}

}  // namespace

// One live connection, touched only on its own (single-threaded) executor.
struct Connection {
  asio::any_io_executor executor;
  beast::tcp_stream* stream = nullptr;
  bool idle = true;
  tracing::RequestSlot trace_slot;  // the request being served, for tracing::ContextExecutor
};

struct Server::Impl {
  Impl(std::vector<asio::any_io_executor> executors, const Dispatcher& d, ServerOptions o)
      : io_executors(std::move(executors)),
        dispatcher(d),
        options(std::move(o)),
        acceptor(io_executors.front()) {}

  std::vector<asio::any_io_executor> io_executors;
  const Dispatcher& dispatcher;
  ServerOptions options;
  tcp::acceptor acceptor;
  std::atomic<bool> stopping{false};

  mutable std::mutex mutex;
  std::condition_variable drained;
  std::list<std::shared_ptr<Connection>> connections;

  using ConnectionHandle = std::list<std::shared_ptr<Connection>>::iterator;

  ConnectionHandle register_connection(asio::any_io_executor executor) {
    std::lock_guard lock(mutex);
    connections.push_back(
        std::make_shared<Connection>(Connection{std::move(executor), nullptr, true, {}}));
    return std::prev(connections.end());
  }

  void unregister_connection(ConnectionHandle it) {
    std::lock_guard lock(mutex);
    connections.erase(it);
    if (connections.empty()) drained.notify_all();
  }

  asio::awaitable<void> accept_loop() {
    std::size_t next = 0;
    while (!stopping) {
      auto& executor = io_executors[next++ % io_executors.size()];
      auto [ec, socket] = co_await acceptor.async_accept(executor, kTuple);
      if (ec == asio::error::operation_aborted || stopping) break;
      if (ec) {
        // Out of descriptors and similar: back off instead of spinning.
        log_event(spdlog::level::warn, "accept failed",
                  {{"error", boost::json::value(ec.message())}});
        asio::steady_timer pause(acceptor.get_executor(), std::chrono::milliseconds(100));
        co_await pause.async_wait(kTuple);
        continue;
      }
      auto it = register_connection(executor);
      const auto* io_executor = executor.target<asio::io_context::executor_type>();
      if (options.trace_context && io_executor != nullptr) {
        // The completion handler holds the connection, and with it the slot, until the very last
        // function that runs through the traced executor.
        const tracing::ContextExecutor<asio::io_context::executor_type> traced(*io_executor,
                                                                               &(*it)->trace_slot);
        asio::co_spawn(traced, serve(std::move(socket), it),
                       [keep = *it](const std::exception_ptr&) {});
      } else {
        asio::co_spawn(executor, serve(std::move(socket), it), asio::detached);
      }
    }
  }

  asio::awaitable<void> serve(tcp::socket socket, ConnectionHandle it) {
    const std::shared_ptr<Connection> connection = *it;
    try {
      co_await serve_requests(std::move(socket), *connection);
    } catch (const std::exception& e) {
      log_event(spdlog::level::err, "connection failed", {{"what", boost::json::value(e.what())}});
    }
    connection->stream = nullptr;
    unregister_connection(it);
  }

  asio::awaitable<void> serve_requests(tcp::socket socket, Connection& connection) {
    beast::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    const auto remote = socket.remote_endpoint(ignored);
    const std::string peer_ip = ignored ? std::string() : remote.address().to_string();
    beast::tcp_stream stream(std::move(socket));
    connection.stream = &stream;
    beast::flat_buffer buffer;

    while (!stopping) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
      parser.body_limit(options.max_body_bytes);

      connection.idle = true;
      stream.expires_after(options.idle_timeout);
      auto [header_ec, header_bytes] =
          co_await bhttp::async_read_header(stream, buffer, parser, kTuple);
      connection.idle = false;
      if (!header_ec) {
        if (auto refusal = refuse_transfer_coding(parser)) {
          stream.expires_after(options.read_timeout);
          auto reply = to_beast(std::move(*refusal), parser.get().version(), false, false);
          co_await bhttp::async_write(stream, reply, kTuple);
          break;
        }
      }
      if (!header_ec && !parser.is_done()) {
        stream.expires_after(options.read_timeout);
        auto [body_ec, body_bytes] = co_await bhttp::async_read(stream, buffer, parser, kTuple);
        header_ec = body_ec;
      }
      if (header_ec) {
        if (!is_quiet_close(header_ec)) {
          stream.expires_after(options.read_timeout);
          auto reply = to_beast(response_for_read_error(header_ec), 11, false, false);
          co_await bhttp::async_write(stream, reply, kTuple);
        }
        break;
      }

      auto& request = parser.get();
      const bool head = request.method() == bhttp::verb::head;
      HttpResponse response = co_await dispatcher.dispatch(to_request(request, peer_ip));
      const bool keep_alive = request.keep_alive() && !stopping;
      auto reply = to_beast(std::move(response), request.version(), keep_alive, head);
      stream.expires_after(options.read_timeout);
      auto [write_ec, written] = co_await bhttp::async_write(stream, reply, kTuple);
      if (write_ec || !reply.keep_alive()) break;
    }
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }
};

Server::Server(std::vector<asio::any_io_executor> io_executors, const Dispatcher& dispatcher,
               ServerOptions options)
    : impl_(std::make_unique<Impl>(std::move(io_executors), dispatcher, std::move(options))) {}

Server::~Server() = default;

void Server::start() {
  const auto address = asio::ip::make_address(impl_->options.host);
  const tcp::endpoint endpoint(address, impl_->options.port);
  impl_->acceptor.open(endpoint.protocol());
  impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
  impl_->acceptor.bind(endpoint);
  impl_->acceptor.listen(asio::socket_base::max_listen_connections);
  bound_port_ = impl_->acceptor.local_endpoint().port();
  asio::co_spawn(impl_->acceptor.get_executor(), impl_->accept_loop(), asio::detached);
}

void Server::stop() {
  if (impl_->stopping.exchange(true)) return;
  asio::post(impl_->acceptor.get_executor(), [impl = impl_.get()] {
    beast::error_code ignored;
    impl->acceptor.close(ignored);
  });
  std::lock_guard lock(impl_->mutex);
  for (const auto& connection : impl_->connections) {
    // Runs on the connection's own thread, so `idle` and `stream` are read without a race.
    asio::post(connection->executor, [connection] {
      if (connection->idle && connection->stream) connection->stream->socket().cancel();
    });
  }
}

bool Server::wait_drained(std::chrono::milliseconds grace) {
  std::unique_lock lock(impl_->mutex);
  return impl_->drained.wait_for(lock, grace, [this] { return impl_->connections.empty(); });
}

std::size_t Server::open_connections() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->connections.size();
}

}  // namespace authsvc::http
