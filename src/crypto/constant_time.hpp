#pragma once

#include <string_view>

namespace authsvc::crypto {

// Compares two byte strings in time that depends only on their lengths (never on where they
// differ). Use it for MACs, secrets and any attacker-supplied value checked against a secret.
bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

}  // namespace authsvc::crypto
