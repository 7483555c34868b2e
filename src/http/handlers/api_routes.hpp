#pragma once

#include <vector>

#include "http/api_services.hpp"
#include "http/router.hpp"

namespace authsvc::http {

// The compatible auth API (SPEC 2), one endpoint per file.
Route signup_route(ApiServices& api);
Route login_route(ApiServices& api);
Route refresh_token_route(ApiServices& api);
Route logout_route(ApiServices& api);
Route password_change_route(ApiServices& api);
Route profile_change_route(ApiServices& api);
Route login_history_route(ApiServices& api);
Route verify_jwt_route(ApiServices& api);
Route hello_route(ApiServices& api);
std::vector<Route> role_routes(ApiServices& api);
std::vector<Route> user_role_routes(ApiServices& api);

// The new endpoints (SPEC 3).
Route me_route(ApiServices& api);
std::vector<Route> session_routes(ApiServices& api);
Route revoke_route(ApiServices& api);
Route introspect_route(ApiServices& api);
std::vector<Route> well_known_routes(ApiServices& api);
Route metrics_route(ApiServices& api);

}  // namespace authsvc::http
