#pragma once

#include <string>
#include <system_error>

namespace authsvc {

// One std::error_category per error enum, without a category class per enum. Next to the enum,
// declare (found by argument-dependent lookup)
//   const char* error_category_name(E) noexcept;  // "token", "account", ...
//   const char* describe(E e) noexcept;           // the message of each value
//   inline std::error_code make_error_code(E e) noexcept { return make_enum_error_code(e); }
// and specialise std::is_error_code_enum<E>.
template <class Enum>
class EnumErrorCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return error_category_name(Enum{}); }
  std::string message(int value) const override { return describe(static_cast<Enum>(value)); }
};

template <class Enum>
const std::error_category& enum_error_category() noexcept {
  static const EnumErrorCategory<Enum> category;
  return category;
}

template <class Enum>
std::error_code make_enum_error_code(Enum e) noexcept {
  return {static_cast<int>(e), enum_error_category<Enum>()};
}

// Whether `code` is of the error enum E.
template <class Enum>
bool is_category(const std::error_code& code) noexcept {
  return code.category() == enum_error_category<Enum>();
}

}  // namespace authsvc
