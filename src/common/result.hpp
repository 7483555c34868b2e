#pragma once

#include <cassert>
#include <utility>
#include <variant>

#include "common/error.hpp"

namespace authsvc {

// The request path returns values or errors, never throws (exceptions are for start-up).
template <class T>
class [[nodiscard]] Result {
 public:
  // Asio's use_future needs a default; an unset Result reads as an internal error.
  Result() : state_(std::in_place_index<1>, Error(InfraErrc::internal, "unset result")) {}
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}      // NOLINT
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT
  template <class E>
  requires std::is_error_code_enum_v<E> Result(E e)
      : state_(std::in_place_index<1>, Error(e)) {}  // NOLINT

  bool ok() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(state_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const {
    assert(!ok());
    return std::get<1>(state_);
  }
  Error&& take_error() {
    assert(!ok());
    return std::get<1>(std::move(state_));
  }

 private:
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), failed_(true) {}  // NOLINT
  template <class E>
  requires std::is_error_code_enum_v<E> Result(E e) : error_(e), failed_(true) {}  // NOLINT

  bool ok() const noexcept { return !failed_; }
  explicit operator bool() const noexcept { return ok(); }
  const Error& error() const {
    assert(failed_);
    return error_;
  }
  Error&& take_error() {
    assert(failed_);
    return std::move(error_);
  }

 private:
  Error error_;
  bool failed_ = false;
};

inline Result<void> ok_result() {
  return {};
}

}  // namespace authsvc
