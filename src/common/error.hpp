#pragma once

#include <string>
#include <system_error>

namespace authsvc {

// Failures of the infrastructure, shared by every layer: they map to 5xx, never to 4xx.
enum class InfraErrc {
  unavailable = 1,  // a backend (database, Redis) cannot be reached
  timeout,          // a backend did not answer within its deadline
  overloaded,       // a bounded queue is full
  internal,         // a bug or an unexpected backend answer
};

const std::error_category& infra_category() noexcept;
std::error_code make_error_code(InfraErrc e) noexcept;

// An error code plus a detail for the logs; the detail is never sent to clients. Categories whose
// wording is part of the HTTP contract (token errors: flask-jwt-extended's and PyJWT's texts) also
// carry the text a client is shown, separately, in `client_text`.
struct Error {
  std::error_code code;
  std::string detail;
  std::string client_text;

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
