#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>
#include <utility>

namespace authsvc::storage::postgres {

namespace run_on_strand_detail {

// co_spawn needs a default-constructible value type; Result<T> is not one.
template <class T>
boost::asio::awaitable<std::optional<T>> as_optional(boost::asio::awaitable<T> task) {
  co_return co_await std::move(task);
}

}  // namespace run_on_strand_detail

// Runs `task` on `strand` and resumes the caller on its own executor afterwards.
//
// The caller's cancellation is deliberately not forwarded: a statement half-way through would leave
// its connection in an unknown state. Every operation is bounded by its own deadlines instead.
template <class T>
boost::asio::awaitable<T> run_on_strand(boost::asio::strand<boost::asio::any_io_executor> strand,
                                        boost::asio::awaitable<T> task) {
  if (strand.running_in_this_thread()) co_return co_await std::move(task);
  std::optional<T> result = co_await boost::asio::co_spawn(
      strand, run_on_strand_detail::as_optional(std::move(task)),
      boost::asio::bind_cancellation_slot(boost::asio::cancellation_slot(),
                                          boost::asio::use_awaitable));
  co_return std::move(*result);
}

}  // namespace authsvc::storage::postgres
