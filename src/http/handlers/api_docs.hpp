#pragma once

#include "http/router.hpp"

namespace authsvc::http {

// The API documentation built into the binary (SPEC 2): api/openapi.yaml as JSON (GET
// /openapi.json and /apispec_1.json, the original's Flasgger address), and Swagger UI at /apidocs/
// with its files under /apidocs/<file>. Nothing is loaded from elsewhere; the page's
// Content-Security-Policy says so to the browser.
Handler api_specification();
Handler api_docs_page();
Handler api_docs_file();
// GET /apidocs -> 308 /apidocs/ (the page's relative links need the slash).
Handler api_docs_redirect();

}  // namespace authsvc::http
