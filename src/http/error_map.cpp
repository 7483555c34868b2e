#include "http/error_map.hpp"

#include <boost/json/object.hpp>

#include "auth/account_errors.hpp"
#include "auth/roles.hpp"
#include "common/log.hpp"
#include "http/request_fields.hpp"
#include "oauth/oauth_errors.hpp"
#include "tokens/token_errc.hpp"

namespace authsvc::http {
namespace {

// How a business error is answered. `route`: only on that route pattern (else on any); `field`:
// a validation answer {"message": {"<field>": ["<text>"]}} instead of {"message": "<text>"}.
// "{name}" in a text is filled from ErrorArgs or the route parameters.
struct BusinessAnswer {
  std::error_code code;
  std::string_view route;
  unsigned status;
  std::string_view text;
  std::string_view field = {};  // (validation answers are 400)
};

constexpr std::string_view kLogin = "/api/v1/auth/login";
constexpr std::string_view kSignup = "/api/v1/auth/signup";
constexpr std::string_view kPasswordChange = "/api/v1/auth/password-change/{user_id:uuid}";
constexpr std::string_view kProfileChange = "/api/v1/auth/profile-change/{profile_id:uuid}";
constexpr std::string_view kLoginHistory = "/api/v1/auth/login-history/{user_id:uuid}";
constexpr std::string_view kRoleByName = "/api/v1/roles/{name}";

// Route-specific rows first: the first matching row answers.
const std::vector<BusinessAnswer>& business_answers() {
  using auth::AccountErrc;
  using auth::RoleErrc;
  using oauth::OAuthErrc;
  static const std::vector<BusinessAnswer> table{
      {AccountErrc::wrong_credentials, kLogin, 401, "Email {email} or password is wrong"},
      {AccountErrc::wrong_credentials, kPasswordChange, 400,
       "User not exists or password is wrong"},
      {AccountErrc::not_owner, kPasswordChange, 400, "This account does not belong to you!"},
      {AccountErrc::not_owner, kProfileChange, 400, "This profile does not belong to you!"},
      {AccountErrc::not_owner, kLoginHistory, 400, "This histories does not belong to you!"},
      {AccountErrc::password_too_short, kPasswordChange, 400,
       "Shorter than minimum length {min_length}.", "new_password"},
      {AccountErrc::password_too_long, kPasswordChange, 400, "Longer than maximum length 1024.",
       "new_password"},
      {AccountErrc::password_too_short, kSignup, 400, "Shorter than minimum length {min_length}.",
       "password"},
      {AccountErrc::password_too_long, kSignup, 400, "Longer than maximum length 1024.",
       "password"},
      {RoleErrc::role_not_found, kRoleByName, 404, "There is no role with name = {name}"},

      {AccountErrc::email_taken, {}, 400, "Email {email} is already exists"},
      {AccountErrc::invalid_email, {}, 400, "Not a valid email address.", "email"},
      {AccountErrc::profile_not_found, {}, 400, "Profile not exists."},
      {AccountErrc::user_not_found, {}, 404, "User not found"},
      {AccountErrc::session_not_found, {}, 404, "Session not found"},
      {AccountErrc::page_not_found, {}, 404, "Page not found"},
      {AccountErrc::locked_out, {}, 429, "too many requests"},
      {AccountErrc::not_admin, {}, 403, "Access error."},
      {RoleErrc::role_not_found, {}, 404, "There is no data with id = {role_id}."},
      {RoleErrc::not_assigned, {}, 404, "There is no data with id = {role_id}."},
      {RoleErrc::user_not_found, {}, 404, "There is no data with id = {user_id}."},
      {RoleErrc::name_taken, {}, 409, "<Role {name}> already exists."},
      {RoleErrc::already_assigned, {}, 409, "<Role {role_id} for user {user_id}> already exists."},

      {OAuthErrc::unknown_provider, {}, 400, "provider {provider} not found"},
      {OAuthErrc::provider_error, {}, 400, "provider {provider} returned an error"},
      {OAuthErrc::invalid_state, {}, 400, "invalid or expired state"},
      {OAuthErrc::foreign_browser, {}, 400, "the login was started in another browser"},
      {OAuthErrc::missing_code, {}, 400, "authorization code is missing"},
      {OAuthErrc::exchange_failed,
       {},
       400,
       "provider {provider} did not accept the authorization code"},
      {OAuthErrc::bad_provider_answer, {}, 400, "unusable answer from provider {provider}"},
      {OAuthErrc::email_in_use,
       {},
       409,
       "an account with this email already exists: log in to it and link {provider} from there"},
      {OAuthErrc::linked_elsewhere, {}, 409, "this {provider} account is linked to another user"},
      {OAuthErrc::already_linked, {}, 409, "a {provider} account is already linked"},
      {OAuthErrc::not_linked, {}, 404, "no {provider} account is linked"},
      {OAuthErrc::last_sign_in_method,
       {},
       409,
       "{provider} is the only way to sign in to this account: link another provider first"},
      {OAuthErrc::account_disabled, {}, 403, "this account is disabled"},
  };
  return table;
}

std::string fill(std::string_view text, const RequestContext& context, ErrorArgs args) {
  std::string out;
  while (!text.empty()) {
    const auto open = text.find('{');
    const auto close = text.find('}', open);
    if (open == std::string_view::npos || close == std::string_view::npos) {
      out += text;
      break;
    }
    out += text.substr(0, open);
    const auto name = text.substr(open + 1, close - open - 1);
    std::string_view value = context.param(name);
    for (const auto& [key, given] : args) {
      if (key == name) value = given;
    }
    out += value;
    text.remove_prefix(close + 1);
  }
  return out;
}

std::optional<HttpResponse> business_reply(const RequestContext& context, const Error& error,
                                           ErrorArgs args) {
  for (const auto& answer : business_answers()) {
    if (answer.code != error.code || (!answer.route.empty() && answer.route != context.route)) {
      continue;
    }
    const std::string text = fill(answer.text, context, args);
    if (answer.field.empty()) return HttpResponse::message(answer.status, text);
    return field_error(answer.field, text);
  }
  return std::nullopt;
}

void log_failure(spdlog::level::level_enum level, std::string_view what,
                 const RequestContext& context, const Error& error) {
  log_event(level, what,
            {{"request_id", boost::json::value(context.request_id)},
             {"route", boost::json::value(context.route)},
             {"error", boost::json::value(error.describe())}});
}

HttpResponse reply(const RequestContext& context, const Error& error, ErrorArgs args) {
  if (const auto token = tokens::token_error_reply(error)) {
    return HttpResponse::json(static_cast<unsigned>(token->status),
                              boost::json::object{{"msg", token->msg}});
  }
  if (auto business = business_reply(context, error, args)) return std::move(*business);
  if (is_category<InfraErrc>(error.code) && !error.is(InfraErrc::internal)) {
    log_failure(spdlog::level::warn, "request failed: backend unavailable", context, error);
    auto response = HttpResponse::message(503, error.is(InfraErrc::overloaded)
                                                   ? "service overloaded, retry later"
                                                   : "service temporarily unavailable");
    response.set_header("Retry-After", "1");
    return response;
  }
  log_failure(spdlog::level::err, "request failed", context, error);
  return HttpResponse::message(500, "internal server error");
}

}  // namespace

HttpResponse error_reply(const RequestContext& context, const Error& error, ErrorArgs args) {
  auto response = reply(context, error, args);
  if (error.retry_after) {
    response.set_header("Retry-After",
                        std::to_string(std::max<std::int64_t>(
                            1, static_cast<std::int64_t>(error.retry_after->count()))));
  }
  return response;
}

std::vector<std::string_view> error_map_routes() {
  std::vector<std::string_view> routes;
  for (const auto& answer : business_answers()) {
    if (!answer.route.empty()) routes.push_back(answer.route);
  }
  return routes;
}

HttpResponse no_store(HttpResponse response) {
  response.set_header("Cache-Control", "no-store");
  response.set_header("Pragma", "no-cache");
  return response;
}

}  // namespace authsvc::http
