#pragma once

#include "auth/sessions.hpp"
#include "http/http_message.hpp"

namespace authsvc::http {

// {"message": "JWT tokens were generated", "tokens": {"access_token", "refresh_token"}} with
// Cache-Control: no-store: the answer of login, refresh and the OAuth callback.
HttpResponse token_pair_response(const auth::IssuedPair& pair);

}  // namespace authsvc::http
