#pragma once

#include <string>
#include <string_view>

namespace authsvc {

// A random (version 4) UUID in the canonical lowercase hyphenated form (SPEC R6).
std::string new_uuid();
// True for a canonical UUID string: 8-4-4-4-12 hex digits, any case accepted.
bool is_uuid(std::string_view text) noexcept;
// A UUID as this service and PostgreSQL write it: lowercase hex. Token ids must be in this form, so
// a denylist key and the durable record always name a token the same way.
bool is_canonical_uuid(std::string_view text) noexcept;
// Fills `size` bytes from the OS CSPRNG and returns them hex-encoded (request ids, state values).
std::string random_hex(std::size_t size);
// 16 random bytes hex-encoded from a per-thread generator seeded by the OS: unique and
// unpredictable enough for correlation ids (request ids), without a system call per id. Never for
// secrets.
std::string correlation_id();

}  // namespace authsvc
