#include "auth/roles.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "http/error_reply.hpp"
#include "http/handlers/admin_guard.hpp"
#include "http/handlers/api_routes.hpp"
#include "http/json_values.hpp"
#include "http/request_fields.hpp"

namespace authsvc::http {
namespace {

boost::json::object name_and_description(const storage::RoleRecord& role) {
  return {{"name", role.name}, {"description", json_or_null(role.description)}};
}

HttpResponse no_data(std::string_view id) {
  return HttpResponse::message(404, "There is no data with id = " + std::string(id) + ".");
}

}  // namespace

// /api/v1/roles/...: list, get by name, create, update, delete (admins only).
std::vector<Route> role_routes(ApiServices& api) {
  auto list = [&api](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    if (auto denied = co_await require_admin(api, context)) co_return std::move(*denied);
    auto roles = co_await api.roles.list();
    if (!roles) co_return error_reply(context, roles.error());
    boost::json::array out;
    for (const auto& role : *roles) out.push_back(name_and_description(role));
    co_return HttpResponse::json(200, boost::json::object{{"roles", std::move(out)}});
  };
  auto redirect = [](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    // Flask's strict slashes: the canonical URL has the slash; 308 keeps method and body.
    auto response = HttpResponse::message(308, "Permanent Redirect");
    std::string location = "/api/v1/roles/";
    if (!context.request.query.empty()) location += "?" + context.request.query;
    response.set_header("Location", location);
    co_return response;
  };
  auto get = [&api](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    if (auto denied = co_await require_admin(api, context)) co_return std::move(*denied);
    const std::string name = percent_decode(context.param("name"), false);
    auto role = co_await api.roles.by_name(name);
    if (!role) {
      if (role.error().is(auth::RoleErrc::role_not_found))
        co_return HttpResponse::message(404, "There is no role with name = " + name);
      co_return error_reply(context, role.error());
    }
    co_return HttpResponse::json(
        200, boost::json::object{{"id", role->id},
                                 {"name", role->name},
                                 {"description", json_or_null(role->description)}});
  };
  auto create = [&api](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    if (auto denied = co_await require_admin(api, context)) co_return std::move(*denied);
    auto [fields, invalid] = read_json_fields(
        context.request.body, {{"name", true, 80}, {"description", false, 255, true}},
        UnknownFields::reject);
    if (invalid) co_return std::move(*invalid);
    const std::string name = fields.get_or_empty("name");
    auto created = co_await api.roles.create(name, fields.get("description"));
    if (!created) {
      if (created.error().is(auth::RoleErrc::name_taken))
        co_return HttpResponse::message(409, "<Role " + name + "> already exists.");
      co_return error_reply(context, created.error());
    }
    co_return HttpResponse::json(200, name_and_description(*created));
  };
  auto update = [&api](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    if (auto denied = co_await require_admin(api, context)) co_return std::move(*denied);
    auto [fields, invalid] = read_json_fields(
        context.request.body, {{"name", false, 80}, {"description", false, 255, true}},
        UnknownFields::reject);
    if (invalid) co_return std::move(*invalid);
    const std::string id(context.param("role_id"));
    std::optional<std::optional<std::string>> description;
    if (fields.has("description")) description = fields.get("description");
    auto updated = co_await api.roles.update(id, fields.get("name"), std::move(description));
    if (!updated) {
      if (updated.error().is(auth::RoleErrc::role_not_found)) co_return no_data(id);
      if (updated.error().is(auth::RoleErrc::name_taken))
        co_return HttpResponse::message(
            409, "<Role " + fields.get_or_empty("name") + "> already exists.");
      co_return error_reply(context, updated.error());
    }
    co_return HttpResponse::json(200, name_and_description(*updated));
  };
  auto remove = [&api](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    if (auto denied = co_await require_admin(api, context)) co_return std::move(*denied);
    const std::string id(context.param("role_id"));
    auto removed = co_await api.roles.remove(id);
    if (!removed) {
      if (removed.error().is(auth::RoleErrc::role_not_found)) co_return no_data(id);
      co_return error_reply(context, removed.error());
    }
    co_return HttpResponse::empty(204);
  };
  const RoutePolicy limited{.rate_limited = true};
  std::vector<Route> routes;
  routes.push_back({"GET", "/api/v1/roles/", std::move(list), limited});
  routes.push_back({"POST", "/api/v1/roles/", std::move(create), limited});
  for (const char* method : {"GET", "POST"})
    routes.push_back({method, "/api/v1/roles", redirect, limited});
  routes.push_back({"PATCH", "/api/v1/roles/{role_id:uuid}", std::move(update), limited});
  routes.push_back({"DELETE", "/api/v1/roles/{role_id:uuid}", std::move(remove), limited});
  routes.push_back({"GET", "/api/v1/roles/{name}", std::move(get), limited});
  return routes;
}

// /api/v1/users/<user_id>/roles/<role_id>: assign, revoke, check (admins only).
std::vector<Route> user_role_routes(ApiServices& api) {
  auto missing = [](const Error& error, std::string_view user_id,
                    std::string_view role_id) -> std::optional<HttpResponse> {
    if (error.is(auth::RoleErrc::user_not_found)) return no_data(user_id);
    if (error.is(auth::RoleErrc::role_not_found) || error.is(auth::RoleErrc::not_assigned))
      return no_data(role_id);
    return std::nullopt;
  };
  auto assign = [&api, missing](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    if (auto denied = co_await require_admin(api, context)) co_return std::move(*denied);
    const std::string user_id(context.param("user_id"));
    const std::string role_id(context.param("role_id"));
    auto assigned = co_await api.roles.assign(user_id, role_id);
    if (!assigned) {
      if (assigned.error().is(auth::RoleErrc::already_assigned))
        co_return HttpResponse::message(
            409, "<Role " + role_id + " for user " + user_id + "> already exists.");
      if (auto answer = missing(assigned.error(), user_id, role_id)) co_return std::move(*answer);
      co_return error_reply(context, assigned.error());
    }
    co_return HttpResponse::json(200, boost::json::object{{"id", *assigned}});
  };
  auto unassign = [&api, missing](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    if (auto denied = co_await require_admin(api, context)) co_return std::move(*denied);
    const std::string user_id(context.param("user_id"));
    const std::string role_id(context.param("role_id"));
    auto removed = co_await api.roles.unassign(user_id, role_id);
    if (!removed) {
      if (auto answer = missing(removed.error(), user_id, role_id)) co_return std::move(*answer);
      co_return error_reply(context, removed.error());
    }
    co_return HttpResponse::message(
        200, "Role with id = " + role_id + " for user with id = " + user_id + " is deleted.");
  };
  auto check = [&api, missing](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    if (auto denied = co_await require_admin(api, context)) co_return std::move(*denied);
    const std::string user_id(context.param("user_id"));
    const std::string role_id(context.param("role_id"));
    auto held = co_await api.roles.holds(user_id, role_id);
    if (!held) {
      if (auto answer = missing(held.error(), user_id, role_id)) co_return std::move(*answer);
      co_return error_reply(context, held.error());
    }
    co_return HttpResponse::json(200, boost::json::object{{"exists", *held}});
  };
  const std::string pattern = "/api/v1/users/{user_id:uuid}/roles/{role_id:uuid}";
  const RoutePolicy limited{.rate_limited = true};
  std::vector<Route> routes;
  routes.push_back({"POST", pattern, std::move(assign), limited});
  routes.push_back({"DELETE", pattern, std::move(unassign), limited});
  routes.push_back({"GET", pattern, std::move(check), limited});
  return routes;
}

}  // namespace authsvc::http
