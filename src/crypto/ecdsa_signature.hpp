#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace authsvc::crypto {

// ECDSA signatures: OpenSSL speaks DER (SEQUENCE { INTEGER r, INTEGER s }), JWS wants the raw
// fixed-size concatenation r||s (RFC 7518 section 3.4). `component_size` is 32 for P-256.

// DER -> raw; nullopt when the DER is malformed or r/s do not fit `component_size` bytes.
std::optional<std::string> ecdsa_der_to_raw(std::string_view der, std::size_t component_size = 32);
// raw -> DER; nullopt unless `raw` is exactly 2 * component_size bytes.
std::optional<std::string> ecdsa_raw_to_der(std::string_view raw, std::size_t component_size = 32);

}  // namespace authsvc::crypto
