#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "http/error_map.hpp"
#include "http/handlers/handlers.hpp"
#include "http/json_values.hpp"
#include "http/request_fields.hpp"

namespace authsvc::http {
namespace {

boost::json::object name_and_description(const storage::RoleRecord& role) {
  return {{"name", role.name}, {"description", json_or_null(role.description)}};
}

}  // namespace

// GET /api/v1/roles/: every role in creation order.
Handler list_roles(auth::Roles& roles) {
  return [&roles](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    auto all = co_await roles.list();
    if (!all) co_return error_reply(context, all.error());
    boost::json::array out;
    for (const auto& role : *all) out.push_back(name_and_description(role));
    co_return HttpResponse::json(200, boost::json::object{{"roles", std::move(out)}});
  };
}

// /api/v1/roles without the slash: Flask's strict slashes, the canonical URL has it (308 keeps
// method and body).
Handler roles_slash_redirect() {
  return [](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    auto response = HttpResponse::message(308, "Permanent Redirect");
    std::string location = "/api/v1/roles/";
    if (!context.request.query.empty()) location += "?" + context.request.query;
    response.set_header("Location", location);
    co_return response;
  };
}

// GET /api/v1/roles/<name> (percent-decoded).
Handler get_role(auth::Roles& roles) {
  return [&roles](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    const std::string name = percent_decode(context.param("name"), false);
    auto role = co_await roles.by_name(name);
    if (!role) co_return error_reply(context, role.error(), {{"name", name}});
    co_return HttpResponse::json(
        200, boost::json::object{{"id", role->id},
                                 {"name", role->name},
                                 {"description", json_or_null(role->description)}});
  };
}

// POST /api/v1/roles/
Handler create_role(auth::Roles& roles) {
  return [&roles](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    auto [fields, invalid] = read_json_fields(
        context.request.body, {{"name", true, 80}, {"description", false, 255, true}},
        UnknownFields::reject);
    if (invalid) co_return std::move(*invalid);
    const std::string name = fields.get_or_empty("name");
    auto created = co_await roles.create(name, fields.get("description"));
    if (!created) co_return error_reply(context, created.error(), {{"name", name}});
    co_return HttpResponse::json(200, name_and_description(*created));
  };
}

// PATCH /api/v1/roles/<role_id>: name, description (null clears it).
Handler update_role(auth::Roles& roles) {
  return [&roles](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    auto [fields, invalid] = read_json_fields(
        context.request.body, {{"name", false, 80}, {"description", false, 255, true}},
        UnknownFields::reject);
    if (invalid) co_return std::move(*invalid);
    std::optional<std::optional<std::string>> description;
    if (fields.has("description")) description = fields.get("description");
    auto updated = co_await roles.update(std::string(context.param("role_id")), fields.get("name"),
                                         std::move(description));
    if (!updated) {
      co_return error_reply(context, updated.error(), {{"name", fields.get_or_empty("name")}});
    }
    co_return HttpResponse::json(200, name_and_description(*updated));
  };
}

// DELETE /api/v1/roles/<role_id>, with its assignments.
Handler delete_role(auth::Roles& roles) {
  return [&roles](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    auto removed = co_await roles.remove(std::string(context.param("role_id")));
    if (!removed) co_return error_reply(context, removed.error());
    co_return HttpResponse::empty(204);
  };
}

// POST /api/v1/users/<user_id>/roles/<role_id>
Handler assign_role(auth::Roles& roles) {
  return [&roles](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    auto assigned = co_await roles.assign(std::string(context.param("user_id")),
                                          std::string(context.param("role_id")));
    if (!assigned) co_return error_reply(context, assigned.error());
    co_return HttpResponse::json(200, boost::json::object{{"id", *assigned}});
  };
}

// DELETE /api/v1/users/<user_id>/roles/<role_id>
Handler unassign_role(auth::Roles& roles) {
  return [&roles](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    const std::string user_id(context.param("user_id"));
    const std::string role_id(context.param("role_id"));
    auto removed = co_await roles.unassign(user_id, role_id);
    if (!removed) co_return error_reply(context, removed.error());
    co_return HttpResponse::message(
        200, "Role with id = " + role_id + " for user with id = " + user_id + " is deleted.");
  };
}

// GET /api/v1/users/<user_id>/roles/<role_id>
Handler check_role(auth::Roles& roles) {
  return [&roles](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    auto held = co_await roles.holds(std::string(context.param("user_id")),
                                     std::string(context.param("role_id")));
    if (!held) co_return error_reply(context, held.error());
    co_return HttpResponse::json(200, boost::json::object{{"exists", *held}});
  };
}

}  // namespace authsvc::http
