#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>

#include "http/api_services.hpp"
#include "http/http_message.hpp"
#include "http/request_context.hpp"

namespace authsvc::http {

// SPEC 2's "Admin": a valid access token (else the R2 answer) of a superuser or a holder of the
// role `admin` (else 403 {"message": "Access error."}), judged on the user's current roles.
// nullopt when the caller may proceed.
boost::asio::awaitable<std::optional<HttpResponse>> require_admin(ApiServices& api,
                                                                  RequestContext& context);

}  // namespace authsvc::http
