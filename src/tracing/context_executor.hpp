#pragma once

#include <boost/asio/prefer.hpp>
#include <boost/asio/query.hpp>
#include <boost/asio/require.hpp>
#include <type_traits>
#include <utility>

#include "tracing/request_scope.hpp"

namespace authsvc::tracing {

// An executor that makes a RequestSlot current around everything it runs, so that a coroutine
// spawned on it finds its request (tracing/request_scope.hpp) each time it resumes, whatever ran on
// the thread in between. Everything else is the inner executor's: properties are forwarded, and
// require/prefer keep the wrapper.
//
// It is copied for every asynchronous operation, so it stays two words (a concrete inner executor
// such as io_context's, and the slot's address): it then fits any_io_executor's small buffer, and
// copies cost neither an allocation nor an atomic count. The slot must outlive every function run
// through the executor (the server keeps it with the connection, released by the coroutine's own
// completion handler).
template <class Inner>
class ContextExecutor {
 public:
  ContextExecutor(Inner inner, RequestSlot* slot) noexcept
      : inner_(std::move(inner)), slot_(slot) {}

  template <class Property,
            class = std::enable_if_t<boost::asio::can_query<const Inner&, Property>::value>>
  decltype(auto) query(const Property& property) const
      noexcept(boost::asio::is_nothrow_query<const Inner&, Property>::value) {
    return boost::asio::query(inner_, property);
  }

  template <class Property,
            class = std::enable_if_t<boost::asio::can_require<const Inner&, Property>::value>>
  auto require(const Property& property) const -> ContextExecutor<
      std::decay_t<decltype(boost::asio::require(std::declval<const Inner&>(), property))>> {
    return {boost::asio::require(inner_, property), slot_};
  }

  template <class Property,
            class = std::enable_if_t<boost::asio::can_prefer<const Inner&, Property>::value>>
  auto prefer(const Property& property) const -> ContextExecutor<
      std::decay_t<decltype(boost::asio::prefer(std::declval<const Inner&>(), property))>> {
    return {boost::asio::prefer(inner_, property), slot_};
  }

  template <class Function>
  void execute(Function&& function) const {
    inner_.execute([slot = slot_, function = std::forward<Function>(function)]() mutable {
      const SlotScope scope(slot);
      std::move(function)();
    });
  }

  friend bool operator==(const ContextExecutor& a, const ContextExecutor& b) noexcept {
    return a.inner_ == b.inner_ && a.slot_ == b.slot_;
  }
  friend bool operator!=(const ContextExecutor& a, const ContextExecutor& b) noexcept {
    return !(a == b);
  }

  const Inner& inner() const noexcept { return inner_; }

 private:
  template <class>
  friend class ContextExecutor;

  Inner inner_;
  RequestSlot* slot_;
};

}  // namespace authsvc::tracing
