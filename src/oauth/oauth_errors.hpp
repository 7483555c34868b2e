#pragma once

#include <system_error>

#include "common/error_category.hpp"

namespace authsvc::oauth {

// Why a social login, link or unlink was refused; http/error_map.cpp gives each its status and
// text. Failures to reach a provider are InfraErrc (503), never these.
enum class OAuthErrc {
  unknown_provider = 1,  // 400 "provider <p> not found" (the original's text): unknown or not
                         //     configured
  provider_error,        // 400 the provider sent the browser back with ?error=...
  invalid_state,         // 400 missing, expired, replayed, or of another provider
  foreign_browser,       // 400 the state was issued to another browser (its cookie differs)
  missing_code,          // 400 no ?code
  exchange_failed,       // 400 the provider refused the code (wrong PKCE verifier, reused code)
  bad_provider_answer,   // 400 a malformed token or user-info answer, an id_token that fails
                         //     verification (signature, iss, aud, exp, nonce)
  email_in_use,          // 409 an account has this e-mail: log in and link instead
  linked_elsewhere,      // 409 the provider account is linked to another user
  already_linked,        // 409 the user has a link to this provider already
  not_linked,            // 404 unlink of a provider the user has no link to
  last_sign_in_method,   // 409 unlink would leave the user no way to sign in
  account_disabled,      // 403 the linked account is inactive
};

const char* error_category_name(OAuthErrc) noexcept;
const char* describe(OAuthErrc e) noexcept;
inline std::error_code make_error_code(OAuthErrc e) noexcept {
  return make_enum_error_code(e);
}

}  // namespace authsvc::oauth

template <>
struct std::is_error_code_enum<authsvc::oauth::OAuthErrc> : std::true_type {};
