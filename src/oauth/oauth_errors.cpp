#include "oauth/oauth_errors.hpp"

namespace authsvc::oauth {

const char* error_category_name(OAuthErrc) noexcept {
  return "oauth";
}

const char* describe(OAuthErrc e) noexcept {
  switch (e) {
    case OAuthErrc::unknown_provider:
      return "unknown provider";
    case OAuthErrc::provider_error:
      return "the provider reported an error";
    case OAuthErrc::invalid_state:
      return "invalid state";
    case OAuthErrc::foreign_browser:
      return "state of another browser";
    case OAuthErrc::missing_code:
      return "no authorization code";
    case OAuthErrc::exchange_failed:
      return "code exchange failed";
    case OAuthErrc::bad_provider_answer:
      return "unusable provider answer";
    case OAuthErrc::email_in_use:
      return "email in use";
    case OAuthErrc::linked_elsewhere:
      return "linked to another user";
    case OAuthErrc::already_linked:
      return "already linked";
    case OAuthErrc::not_linked:
      return "not linked";
    case OAuthErrc::last_sign_in_method:
      return "last sign-in method";
    case OAuthErrc::account_disabled:
      return "account disabled";
  }
  return "unknown oauth error";
}

}  // namespace authsvc::oauth
