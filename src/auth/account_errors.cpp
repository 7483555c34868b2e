#include "auth/account_errors.hpp"

namespace authsvc::auth {

const char* error_category_name(AccountErrc) noexcept {
  return "account";
}

const char* describe(AccountErrc e) noexcept {
  switch (e) {
    case AccountErrc::email_taken:
      return "email already registered";
    case AccountErrc::invalid_email:
      return "invalid email";
    case AccountErrc::password_too_short:
      return "password too short";
    case AccountErrc::password_too_long:
      return "password too long";
    case AccountErrc::wrong_credentials:
      return "wrong credentials";
    case AccountErrc::not_owner:
      return "not the owner";
    case AccountErrc::user_not_found:
      return "user not found";
    case AccountErrc::profile_not_found:
      return "profile not found";
    case AccountErrc::session_not_found:
      return "session not found";
    case AccountErrc::page_not_found:
      return "page not found";
    case AccountErrc::locked_out:
      return "locked out";
    case AccountErrc::not_admin:
      return "not an admin";
  }
  return "unknown account error";
}

}  // namespace authsvc::auth
