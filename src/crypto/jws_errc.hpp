#pragma once

#include <system_error>

#include "common/error_category.hpp"

namespace authsvc::crypto {

// Why a compact JWS was refused. The Error's detail is the PyJWT 2.6 text for the case (see
// crypto/jws.hpp); tokens::TokenErrc refines these for the HTTP layer.
enum class JwsErrc {
  malformed = 1,           // "Not enough segments", "Token is too large"
  bad_header,              // "Invalid header padding", "Invalid header string: ..."
  bad_payload_encoding,    // "Invalid payload padding"
  bad_signature_encoding,  // "Invalid crypto padding"
  bad_kid,                 // "Key ID header parameter must be a string"
  unsupported_header,      // crit, jku, x5u, jwk, x5c
  alg_not_allowed,         // "The specified alg value is not allowed"
  bad_signature,           // "Signature verification failed"
  signing_failed,          // our own signing failed (key error); never a client's fault
};

const char* error_category_name(JwsErrc) noexcept;
const char* describe(JwsErrc e) noexcept;
inline std::error_code make_error_code(JwsErrc e) noexcept {
  return make_enum_error_code(e);
}

}  // namespace authsvc::crypto

template <>
struct std::is_error_code_enum<authsvc::crypto::JwsErrc> : std::true_type {};
