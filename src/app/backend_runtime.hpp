#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <thread>

namespace authsvc::app {

// One thread that carries the PostgreSQL and Redis clients' I/O, kept alive while idle.
class BackendRuntime {
 public:
  BackendRuntime() : guard_(boost::asio::make_work_guard(io_)), thread_([this] { io_.run(); }) {}
  ~BackendRuntime() { stop(); }
  BackendRuntime(const BackendRuntime&) = delete;
  BackendRuntime& operator=(const BackendRuntime&) = delete;

  boost::asio::any_io_executor executor() { return io_.get_executor(); }

  // Runs a coroutine on the backend thread and blocks the calling thread for its result.
  template <class T>
  T run(boost::asio::awaitable<T> task) {
    return boost::asio::co_spawn(io_, std::move(task), boost::asio::use_future).get();
  }

  void stop() {
    guard_.reset();
    io_.stop();
    if (thread_.joinable()) thread_.join();
  }

 private:
  boost::asio::io_context io_{1};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
  std::thread thread_;
};

}  // namespace authsvc::app
