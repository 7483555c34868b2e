#pragma once

#include <string>
#include <string_view>

namespace authsvc::crypto {

// SHA-256 of `input`: the 32 raw bytes (cache keys) or lowercase hex (store keys that must not hold
// the input itself, such as an e-mail address). Empty only if OpenSSL fails.
std::string sha256_bytes(std::string_view input);
std::string sha256_hex(std::string_view input);

}  // namespace authsvc::crypto
