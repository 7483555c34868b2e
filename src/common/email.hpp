#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace authsvc {

// The form on which e-mail uniqueness is enforced (SPEC 4): trimmed, Unicode NFC, lower-case.
// `Test@test.com` and `test@test.com` are one account. nullopt when the text is not valid UTF-8
// or holds a control character (NUL included).
std::optional<std::string> canonical_email(std::string_view email);

// A light syntax check: one '@', a non-empty local part, a dotted domain, no spaces or controls.
bool looks_like_email(std::string_view email);

}  // namespace authsvc
