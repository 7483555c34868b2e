#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "http/dispatcher.hpp"

namespace authsvc::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8000;
  std::size_t max_body_bytes = 64 * 1024;
  std::size_t max_header_bytes = 8 * 1024;
  std::chrono::milliseconds read_timeout{15'000};  // body of one request, and each write
  std::chrono::milliseconds idle_timeout{
      60'000};  // waiting for (and reading) the next request's header
  // Each connection's coroutine runs on a tracing::ContextExecutor, so that the clients below find
  // the request being served (tracing/request_scope.hpp). Off: no cost at all.
  bool trace_context = false;
};

// The HTTP/1.1 listener: keep-alive connections as coroutines, spread over the given I/O executors
// (one single-threaded io_context each), with size limits, deadlines and a graceful stop. The only
// translation unit that includes Beast.
class Server {
 public:
  Server(std::vector<boost::asio::any_io_executor> io_executors, const Dispatcher& dispatcher,
         ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts accepting; throws std::system_error when the address cannot be bound.
  void start();
  std::uint16_t port() const { return bound_port_; }
  // Stops accepting and closes idle connections; requests in flight finish and then close.
  void stop();
  // Blocks until every connection has ended or the grace period passed; false on time-out.
  bool wait_drained(std::chrono::milliseconds grace);
  std::size_t open_connections() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
  std::uint16_t bound_port_ = 0;
};

}  // namespace authsvc::http
