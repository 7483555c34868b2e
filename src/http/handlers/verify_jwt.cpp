#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "auth/account_errors.hpp"
#include "http/error_map.hpp"
#include "http/handlers/handlers.hpp"

namespace authsvc::http {

// GET /api/v1/auth/verify-jwt: who the caller is, for the content service. The hot path: the
// signature check (cached), one revocation lookup and the in-memory user directory, all done by the
// access policy before this runs.
Handler verify_jwt() {
  return [](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    const auto& user = context.caller->user;
    if (!user) co_return error_reply(context, Error(auth::AccountErrc::user_not_found));
    boost::json::array roles;
    for (const auto& role : user->roles) roles.emplace_back(role);
    co_return HttpResponse::json(200, boost::json::object{{"id", user->id},
                                                          {"is_superuser", user->is_superuser},
                                                          {"role", user->primary_role()},
                                                          {"roles", std::move(roles)}});
  };
}

}  // namespace authsvc::http
