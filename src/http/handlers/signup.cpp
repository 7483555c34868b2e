#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "http/error_map.hpp"
#include "http/handlers/handlers.hpp"
#include "http/json_values.hpp"
#include "http/request_fields.hpp"

namespace authsvc::http {

// POST /api/v1/auth/signup
Handler signup(auth::Accounts& accounts, std::size_t password_min_length) {
  return [&accounts,
          password_min_length](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    auto [fields, invalid] = read_json_fields(context.request.body,
                                              {{"email", true, 255},
                                               {"password", true},
                                               {"first_name", false, 255, true},
                                               {"last_name", false, 255, true},
                                               {"phone", false, 50, true}},
                                              UnknownFields::reject);
    if (invalid) co_return std::move(*invalid);
    const std::string email = fields.get_or_empty("email");
    // A local first: g++ 12 frees a braced temporary inside co_await twice.
    auth::SignupRequest request{email, fields.get_or_empty("password"), fields.get("first_name"),
                                fields.get("last_name"), fields.get("phone")};
    auto created = co_await accounts.signup(std::move(request));
    if (!created) {
      co_return error_reply(
          context, created.error(),
          {{"email", email}, {"min_length", std::to_string(password_min_length)}});
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
}

}  // namespace authsvc::http
