#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <future>
#include <stdexcept>

namespace authsvc::test {

// Runs one coroutine to completion on `io` (which must not be running elsewhere) and returns its
// value.
template <class T>
T run_sync(boost::asio::io_context& io, boost::asio::awaitable<T> task,
           std::chrono::seconds limit = std::chrono::seconds(30)) {
  auto future = boost::asio::co_spawn(io, std::move(task), boost::asio::use_future);
  io.restart();
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (future.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
    if (std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("run_sync: timed out");
    io.run_one_for(std::chrono::milliseconds(50));
  }
  return future.get();
}

}  // namespace authsvc::test
