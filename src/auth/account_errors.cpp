#include "auth/account_errors.hpp"

#include <string>

namespace authsvc::auth {
namespace {

class AccountCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "account"; }
  std::string message(int value) const override {
    switch (static_cast<AccountErrc>(value)) {
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
    }
    return "unknown account error";
  }
};

}  // namespace

const std::error_category& account_category() noexcept {
  static const AccountCategory category;
  return category;
}

std::error_code make_error_code(AccountErrc e) noexcept {
  return {static_cast<int>(e), account_category()};
}

}  // namespace authsvc::auth
