#pragma once

#include <system_error>

#include "common/error_category.hpp"

namespace authsvc::auth {

// Business outcomes of account operations and of the route policies; http/error_map.cpp turns them
// into status and body.
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
  locked_out,         // too many failed logins for this e-mail (Error::retry_after says how long)
  not_admin,          // an admin route, called by someone who is neither superuser nor admin
};

const char* error_category_name(AccountErrc) noexcept;
const char* describe(AccountErrc e) noexcept;
inline std::error_code make_error_code(AccountErrc e) noexcept {
  return make_enum_error_code(e);
}

}  // namespace authsvc::auth

template <>
struct std::is_error_code_enum<authsvc::auth::AccountErrc> : std::true_type {};
