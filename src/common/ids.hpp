#pragma once

#include <string>
#include <string_view>

namespace authsvc {

// A random (version 4) UUID in the canonical lowercase hyphenated form (SPEC R6).
std::string new_uuid();
// True for a canonical UUID string: 8-4-4-4-12 hex digits, any case accepted.
bool is_uuid(std::string_view text) noexcept;
// Fills `size` bytes from the OS CSPRNG and returns them hex-encoded (request ids, state values).
std::string random_hex(std::size_t size);

}  // namespace authsvc
