#pragma once

#include <string_view>

namespace authsvc {

// SPEC 6: a provider URL must be https, or http on a loopback address (local providers in tests).
// Loopback means the host `localhost`, an IPv4 literal in 127.0.0.0/8 or `[::1]`; a name such as
// `127.0.0.1.example` is not. Anything with control characters or spaces is refused.
bool is_https_or_loopback_url(std::string_view url);

}  // namespace authsvc
