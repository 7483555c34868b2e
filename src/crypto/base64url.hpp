#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace authsvc::crypto {

// base64url without padding (RFC 7515 section 2, RFC 4648 section 5).
std::string base64url_encode(std::string_view bytes);

// Strict decoding, as JWS requires: only [A-Za-z0-9_-], no '=' padding, no whitespace, a length
// that is not 1 modulo 4, and zero unused bits in the last character (so every byte string has
// exactly one accepted encoding: a token cannot be re-encoded to dodge a denylist keyed on bytes).
// nullopt on anything else.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace authsvc::crypto
