#pragma once

#include <system_error>

namespace authsvc::auth {

// Business outcomes of account operations; http/error_mapping turns them into status and body.
enum class AccountErrc {
  email_taken = 1,
  invalid_email,
  password_too_short,
  password_too_long,
};

const std::error_category& account_category() noexcept;
std::error_code make_error_code(AccountErrc e) noexcept;

}  // namespace authsvc::auth

template <>
struct std::is_error_code_enum<authsvc::auth::AccountErrc> : std::true_type {};
