#pragma once

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <utility>

namespace authsvc::storage {

// Runs the blocking `fn` on `worker` (a thread pool's executor) and resumes the awaiting coroutine
// on its own executor with fn's result, so an I/O thread never blocks. `fn` must not throw.
template <class T, class WorkerExecutor, class Fn>
boost::asio::awaitable<T> blocking_call(WorkerExecutor worker, Fn fn) {
  auto initiation = [worker](auto handler, Fn work) mutable {
    auto home = boost::asio::make_work_guard(boost::asio::get_associated_executor(handler));
    boost::asio::post(worker, [handler = std::move(handler), work = std::move(work),
                               home = std::move(home)]() mutable {
      T value = work();
      auto executor = home.get_executor();
      boost::asio::post(executor,
                        [handler = std::move(handler), value = std::move(value)]() mutable {
                          std::move(handler)(std::move(value));
                        });
    });
  };
  co_return co_await boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&, void(T)>(
      std::move(initiation), boost::asio::use_awaitable, std::move(fn));
}

}  // namespace authsvc::storage
