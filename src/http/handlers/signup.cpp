#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "auth/account_errors.hpp"
#include "http/error_reply.hpp"
#include "http/handlers/api_routes.hpp"
#include "http/json_values.hpp"
#include "http/request_fields.hpp"

namespace authsvc::http {
// POST /api/v1/auth/signup
Route signup_route(ApiServices& api) {
  auto handler = [&api](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    auto [fields, invalid] = read_json_fields(context.request.body,
                                              {{"email", true, 255},
                                               {"password", true},
                                               {"first_name", false, 255, true},
                                               {"last_name", false, 255, true},
                                               {"phone", false, 50, true}},
                                              UnknownFields::reject);
    if (invalid) co_return std::move(*invalid);
    const std::string email = fields.get_or_empty("email");
    auth::SignupRequest request{email, fields.get_or_empty("password"), fields.get("first_name"),
                                fields.get("last_name"), fields.get("phone")};
    auto created = co_await api.accounts.signup(std::move(request));
    if (!created) {
      const auto& error = created.error();
      if (error.is(auth::AccountErrc::email_taken))
        co_return HttpResponse::message(400, "Email " + email + " is already exists");
      if (error.is(auth::AccountErrc::invalid_email))
        co_return field_error("email", "Not a valid email address.");
      if (error.is(auth::AccountErrc::password_too_short))
        co_return field_error("password", "Shorter than minimum length " +
                                              std::to_string(api.settings.password_min_length) +
                                              ".");
      if (error.is(auth::AccountErrc::password_too_long))
        co_return field_error("password", "Longer than maximum length 1024.");
      co_return error_reply(context, error);
    }
    const auto& user = created->user;
    const auto& profile = created->profile;
    boost::json::array result{boost::json::object{{"id", user.id}, {"email", user.email}},
                              boost::json::object{{"first_name", json_or_null(profile.first_name)},
                                                  {"last_name", json_or_null(profile.last_name)},
                                                  {"phone", json_or_null(profile.phone)}}};
    co_return HttpResponse::json(
        201, boost::json::object{{"message", "New account was registered successfully"},
                                 {"result", std::move(result)}});
  };
  return {"POST", "/api/v1/auth/signup", std::move(handler), {.rate_limited = true}};
}

}  // namespace authsvc::http
