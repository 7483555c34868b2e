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
