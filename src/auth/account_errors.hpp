#pragma once

#include <system_error>

namespace authsvc::auth {

// Business outcomes of account operations; http/error_mapping turns them into status and body.
enum class AccountErrc {
  email_taken = 1,
  invalid_email,
  password_too_short,
  password_too_long,
  wrong_credentials,  // unknown e-mail, no password set, or a wrong password (one answer for all)
  not_owner,          // the path names another user's resource
  user_not_found,
  profile_not_found,
  session_not_found,  // unknown, ended, or another user's
  page_not_found,     // a login-history page that does not exist
};

const std::error_category& account_category() noexcept;
std::error_code make_error_code(AccountErrc e) noexcept;

}  // namespace authsvc::auth

template <>
struct std::is_error_code_enum<authsvc::auth::AccountErrc> : std::true_type {};
