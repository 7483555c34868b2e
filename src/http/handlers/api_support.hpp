#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>

#include "auth/sessions.hpp"
#include "common/result.hpp"
#include "http/api_services.hpp"
#include "http/http_message.hpp"
#include "tokens/token_claims.hpp"

namespace authsvc::http {

// The bearer token of the request, accepted for `expected` use (SPEC R2 order).
boost::asio::awaitable<Result<tokens::TokenClaims>> authenticate(ApiServices& api,
                                                                 const HttpRequest& request,
                                                                 tokens::TokenType expected);

// The client's address: the peer, or X-Real-IP / the first X-Forwarded-For hop when the peer is a
// trusted proxy.
std::string client_ip(const HttpRequest& request, const std::vector<std::string>& trusted_proxies);
auth::ClientInfo client_info(const HttpRequest& request, const ApiSettings& settings);

// {"message": ..., "tokens": {"access_token", "refresh_token"}} with Cache-Control: no-store.
HttpResponse token_pair_response(const auth::IssuedPair& pair);

// The external base URL (PUBLIC_URL, else from Host and X-Forwarded-Proto).
std::string public_base_url(const HttpRequest& request, const ApiSettings& settings);

}  // namespace authsvc::http
