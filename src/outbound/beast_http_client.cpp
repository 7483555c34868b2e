#include "outbound/beast_http_client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "tracing/context_executor.hpp"

namespace authsvc::outbound {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;

namespace {

// The I/O objects of a kept-alive connection belong to its thread's io_context, not to the executor
// of the request that opened it (which may carry that request's trace context, see
// tracing/context_executor.hpp): so a later request on the same thread finds and reuses it.
asio::any_io_executor thread_executor(const asio::any_io_executor& executor) {
  using Traced = tracing::ContextExecutor<asio::io_context::executor_type>;
  if (const auto* traced = executor.target<Traced>()) return traced->inner();
  return executor;
}

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kMaxHeaderBytes = 64 * 1024;

struct Target {
  bool tls = false;
  std::string host;
  std::string port;
  std::string path_and_query;
  std::string origin() const { return (tls ? "https://" : "http://") + host + ":" + port; }
};

Result<Target> parse_target(std::string_view url) {
  const auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return Error(InfraErrc::internal, "not a URL: " + std::string(url));
  Target target;
  const auto scheme = parsed->scheme();
  if (scheme != "https" && scheme != "http") {
    return Error(InfraErrc::internal, "not an http(s) URL: " + std::string(url));
  }
  target.tls = scheme == "https";
  target.host = parsed->host_address();
  if (target.host.empty())
    return Error(InfraErrc::internal, "URL without a host: " + std::string(url));
  target.port = parsed->has_port() ? std::string(parsed->port()) : (target.tls ? "443" : "80");
  target.path_and_query =
      parsed->encoded_path().empty() ? "/" : std::string(parsed->encoded_path());
  if (parsed->has_query()) target.path_and_query += "?" + std::string(parsed->encoded_query());
  return target;
}

Error failure(const beast::error_code& ec, std::string_view step, const Target& target) {
  const std::string detail = std::string(step) + " " + target.origin() + ": " + ec.message();
  if (ec == beast::error::timeout) return Error(InfraErrc::timeout, detail);
  if (ec == bhttp::error::body_limit || ec == bhttp::error::header_limit) {
    return Error(InfraErrc::overloaded, detail);
  }
  return Error(InfraErrc::unavailable, detail);
}

// A kept-alive connection: plain TCP or TLS over TCP, on the executor that made it.
struct Connection {
  asio::any_io_executor executor;
  std::unique_ptr<beast::tcp_stream> plain;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls;
  beast::flat_buffer buffer;
  std::chrono::steady_clock::time_point idle_since;

  beast::tcp_stream& tcp() { return tls ? beast::get_lowest_layer(*tls) : *plain; }
};

}  // namespace

std::optional<std::string_view> OutboundResponse::header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return std::string_view(value);
  }
  return std::nullopt;
}

class BeastHttpClient::Impl {
 public:
  explicit Impl(HttpClientOptions options)
      : options_(std::move(options)), tls_(ssl::context::tls_client) {
    tls_.set_default_verify_paths();
    if (!options_.extra_ca_file.empty()) tls_.load_verify_file(options_.extra_ca_file);
    tls_.set_verify_mode(ssl::verify_peer);
    // TLS 1.2 at least, whatever the system policy says. (SSL_CTX_set_min_proto_version is a
    // macro with a C cast: its expansion, spelt out.)
    SSL_CTX_ctrl(tls_.native_handle(), SSL_CTRL_SET_MIN_PROTO_VERSION, TLS1_2_VERSION, nullptr);
  }

  asio::awaitable<Result<OutboundResponse>> send(OutboundRequest request) {
    auto target = parse_target(request.url);
    if (!target) co_return target.take_error();
    const auto caller = co_await asio::this_coro::executor;
    const auto executor = thread_executor(caller);
    // A kept-alive connection may have been closed by the server meanwhile: one retry on a new
    // connection when a reused one fails before any answer arrived.
    if (auto reused = take_idle(target->origin(), executor)) {
      bool closed_by_server = false;
      auto answer = co_await exchange(*reused, *target, request, &closed_by_server);
      // Only a connection the server had closed before answering is retried (a request the server
      // may have acted on is not sent twice).
      if (!closed_by_server) co_return finish(std::move(reused), *target, std::move(answer));
    }
    auto fresh = co_await connect(*target, executor);
    if (!fresh) co_return fresh.take_error();
    auto connection = std::move(fresh).value();
    bool closed_by_server = false;
    auto answer = co_await exchange(*connection, *target, request, &closed_by_server);
    co_return finish(std::move(connection), *target, std::move(answer));
  }

 private:
  struct Exchange {
    OutboundResponse response;
    bool keep_alive = false;
  };

  asio::awaitable<Result<std::unique_ptr<Connection>>> connect(const Target& target,
                                                               asio::any_io_executor executor) {
    auto connection = std::make_unique<Connection>();
    connection->executor = executor;
    if (target.tls) {
      connection->tls = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(executor, tls_);
    } else {
      connection->plain = std::make_unique<beast::tcp_stream>(executor);
    }
    auto& stream = connection->tcp();
    stream.expires_after(options_.connect_timeout);
    // getaddrinfo knows no deadline: a timer cancels the lookup (shared, as the timer's handler
    // may run after this frame moved on).
    auto resolver = std::make_shared<tcp::resolver>(executor);
    asio::steady_timer deadline(executor, options_.connect_timeout);
    deadline.async_wait([resolver](const beast::error_code& ec) {
      if (!ec) resolver->cancel();
    });
    auto [resolve_error, endpoints] =
        co_await resolver->async_resolve(target.host, target.port, kTuple);
    deadline.cancel();
    if (resolve_error == asio::error::operation_aborted) {
      co_return failure(beast::error::timeout, "resolving", target);
    }
    if (resolve_error) co_return failure(resolve_error, "resolving", target);
    auto [connect_error, endpoint] = co_await stream.async_connect(endpoints, kTuple);
    (void)endpoint;
    if (connect_error) co_return failure(connect_error, "connecting to", target);
    if (target.tls) {
      // SNI, and the certificate must name the host (RFC 6125) besides chaining to a trust anchor.
      // (SSL_set_tlsext_host_name is a macro with a C cast: its expansion, spelt out.)
      std::string host = target.host;
      if (SSL_ctrl(connection->tls->native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME,
                   TLSEXT_NAMETYPE_host_name, static_cast<void*>(host.data())) != 1) {
        co_return Error(InfraErrc::unavailable, "cannot set SNI for " + target.origin());
      }
      connection->tls->set_verify_callback(ssl::host_name_verification(target.host));
      auto [handshake_error] =
          co_await connection->tls->async_handshake(ssl::stream_base::client, kTuple);
      if (handshake_error) co_return failure(handshake_error, "TLS handshake with", target);
    }
    co_return connection;
  }

  // `closed_by_server`: the connection turned out closed before any byte of an answer.
  asio::awaitable<Result<Exchange>> exchange(Connection& connection, const Target& target,
                                             const OutboundRequest& request,
                                             bool* closed_by_server) {
    bhttp::request<bhttp::string_body> out{bhttp::string_to_verb(request.method),
                                           target.path_and_query, 11};
    // RFC 9110 7.2: the port too unless it is the scheme's default (servers build URLs from it).
    const bool default_port = target.port == (target.tls ? "443" : "80");
    out.set(bhttp::field::host, default_port ? target.host : target.host + ":" + target.port);
    out.set(bhttp::field::user_agent, "auth-service");
    for (const auto& [name, value] : request.headers) out.set(name, value);
    out.body() = request.body;
    out.keep_alive(true);
    out.prepare_payload();

    connection.tcp().expires_after(options_.request_timeout);
    beast::error_code ec;
    if (connection.tls) {
      std::tie(ec, std::ignore) = co_await bhttp::async_write(*connection.tls, out, kTuple);
    } else {
      std::tie(ec, std::ignore) = co_await bhttp::async_write(*connection.plain, out, kTuple);
    }
    if (ec) {
      *closed_by_server = true;
      co_return failure(ec, "sending to", target);
    }
    // Interim answers (100, 103) come before the final one: read on until it is there, so that a
    // kept-alive connection never holds the rest of an earlier answer.
    std::optional<bhttp::response_parser<bhttp::string_body>> parser;
    do {
      parser.emplace();
      parser->header_limit(kMaxHeaderBytes);
      parser->body_limit(options_.max_response_bytes);
      if (connection.tls) {
        std::tie(ec, std::ignore) =
            co_await bhttp::async_read(*connection.tls, connection.buffer, *parser, kTuple);
      } else {
        std::tie(ec, std::ignore) =
            co_await bhttp::async_read(*connection.plain, connection.buffer, *parser, kTuple);
      }
      if (ec) {
        *closed_by_server = !parser->got_some() && connection.buffer.size() == 0 &&
                            (ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
                             ec == asio::error::connection_reset);
        co_return failure(ec, "reading from", target);
      }
    } while (parser->get().result_int() < 200);
    auto& in = parser->get();
    Exchange result;
    result.keep_alive = in.keep_alive() && connection.buffer.size() == 0;
    result.response.status = in.result_int();
    for (const auto& field : in) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      result.response.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    result.response.body = std::move(in.body());
    co_return result;
  }

  Result<OutboundResponse> finish(std::unique_ptr<Connection> connection, const Target& target,
                                  Result<Exchange> answer) {
    if (!answer) return answer.take_error();
    if (answer->keep_alive) put_idle(target.origin(), std::move(connection));
    return std::move(answer->response);
  }

  std::unique_ptr<Connection> take_idle(const std::string& origin,
                                        const asio::any_io_executor& executor) {
    const std::lock_guard lock(mutex_);
    auto found = idle_.find(origin);
    if (found == idle_.end()) return nullptr;
    auto& pool = found->second;
    const auto now = std::chrono::steady_clock::now();
    for (auto it = pool.begin(); it != pool.end();) {
      if (now - (*it)->idle_since > options_.idle_timeout) {
        it = pool.erase(it);
      } else if ((*it)->executor == executor) {
        auto connection = std::move(*it);
        pool.erase(it);
        return connection;
      } else {
        ++it;
      }
    }
    return nullptr;
  }

  void put_idle(const std::string& origin, std::unique_ptr<Connection> connection) {
    connection->idle_since = std::chrono::steady_clock::now();
    connection->tcp().expires_never();
    const std::lock_guard lock(mutex_);
    auto& pool = idle_[origin];
    if (pool.size() >= options_.max_idle_per_origin) pool.erase(pool.begin());
    pool.push_back(std::move(connection));
  }

  HttpClientOptions options_;
  ssl::context tls_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::vector<std::unique_ptr<Connection>>> idle_;  // guarded
};

BeastHttpClient::BeastHttpClient(HttpClientOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

BeastHttpClient::~BeastHttpClient() = default;

asio::awaitable<Result<OutboundResponse>> BeastHttpClient::send(OutboundRequest request) {
  co_return co_await impl_->send(std::move(request));
}

}  // namespace authsvc::outbound
