#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <system_error>

#include "common/error_category.hpp"

namespace authsvc {

// Failures of the infrastructure, shared by every layer: they map to 5xx, never to 4xx.
enum class InfraErrc {
  unavailable = 1,  // a backend (database, Redis) cannot be reached
  timeout,          // a backend did not answer within its deadline
  overloaded,       // a bounded queue is full
  internal,         // a bug or an unexpected backend answer
};

const char* error_category_name(InfraErrc) noexcept;
const char* describe(InfraErrc e) noexcept;
inline std::error_code make_error_code(InfraErrc e) noexcept {
  return make_enum_error_code(e);
}

// What went wrong, in the precise error enum of the layer that knew (InfraErrc, DbErrc, TokenErrc,
// AccountErrc, ...); http/error_map.cpp is the one place that turns it into a status and a body.
// `detail` is for the logs and is never sent. Token errors, whose wording is part of the HTTP
// contract (flask-jwt-extended's and PyJWT's texts), carry the text a client is shown separately,
// in `client_text`. `retry_after`: when trying again makes sense (a lockout, an overload).
struct Error {
  std::error_code code;
  std::string detail;
  std::string client_text;
  std::optional<std::chrono::seconds> retry_after;

  Error() = default;
  Error(std::error_code c, std::string d = {})
      : code(c), detail(std::move(d)) {}  // NOLINT(google-explicit-constructor)
  template <class E>
  requires std::is_error_code_enum_v<E> Error(E e, std::string d = {})
      : code(make_error_code(e)), detail(std::move(d)) {}  // NOLINT

  bool is(std::error_code other) const noexcept { return code == other; }
  template <class E>
  requires std::is_error_code_enum_v<E>
  bool is(E e) const noexcept { return code == make_error_code(e); }
  std::string describe() const {
    return detail.empty() ? code.message() : code.message() + ": " + detail;
  }
};

}  // namespace authsvc

template <>
struct std::is_error_code_enum<authsvc::InfraErrc> : std::true_type {};
