#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "common/clock.hpp"
#include "http/error_map.hpp"
#include "http/handlers/handlers.hpp"
#include "http/json_values.hpp"

namespace authsvc::http {
namespace {

boost::json::array strings(const std::vector<std::string>& values) {
  boost::json::array out;
  for (const auto& value : values) out.emplace_back(value);
  return out;
}

}  // namespace

// GET /api/v1/auth/me: the caller's account.
Handler me(auth::Accounts& accounts) {
  return [&accounts](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    auto view = co_await accounts.view(context.caller->user_id());
    if (!view) co_return error_reply(context, view.error());
    const auto& profile = view->profile;
    co_return HttpResponse::json(
        200, boost::json::object{
                 {"id", view->user.id},
                 {"email", view->user.email},
                 {"date_joined", view->user.date_joined
                                     ? boost::json::value(format_iso8601(*view->user.date_joined))
                                     : boost::json::value(nullptr)},
                 {"profile",
                  boost::json::object{
                      {"id",
                       json_or_null(profile.id.empty() ? std::nullopt : std::optional(profile.id))},
                      {"first_name", json_or_null(profile.first_name)},
                      {"last_name", json_or_null(profile.last_name)},
                      {"phone", json_or_null(profile.phone)}}},
                 {"roles", strings(view->roles)},
                 {"is_superuser", view->user.is_superuser},
                 {"providers", strings(view->providers)},
                 {"has_password", view->user.has_password}});
  };
}

}  // namespace authsvc::http
