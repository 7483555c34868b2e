#pragma once

#include <boost/asio/awaitable.hpp>
#include <utility>

#include "tracing/span.hpp"

namespace authsvc::tracing {

// Awaits `work` and ends `span` when it is done; a failed Result marks the span failed with the
// error's kind (never its detail, which may quote data).
template <class T>
boost::asio::awaitable<T> within_span(boost::asio::awaitable<T> work, Span span) {
  auto outcome = co_await std::move(work);
  if constexpr (requires { outcome.error().code.message(); }) {
    if (!outcome) span.set_error(outcome.error().code.message());
  }
  co_return outcome;
}

}  // namespace authsvc::tracing
