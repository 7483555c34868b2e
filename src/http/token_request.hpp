#pragma once

#include <map>
#include <string>

#include "http/http_message.hpp"

namespace authsvc::http {

// The parameters of an RFC 7009 / RFC 7662 request: the form body the RFCs define, or the same
// members as a JSON object (Content-Type: application/json). Non-string JSON members are skipped.
std::map<std::string, std::string, std::less<>> token_request_parameters(
    const HttpRequest& request);

// 400 for a request without `token`: RFC 6749's error code plus the R1 validation body.
HttpResponse missing_token_response();

}  // namespace authsvc::http
