#include <boost/json/object.hpp>

#include "common/log.hpp"
#include "http/client_address.hpp"
#include "http/cookies.hpp"
#include "http/error_map.hpp"
#include "http/handlers/handlers.hpp"
#include "http/handlers/token_pair_response.hpp"
#include "http/request_fields.hpp"
#include "oauth/oauth_errors.hpp"

namespace authsvc::http {
namespace {

// The cookie that binds a flow to the browser that started it: HttpOnly, and SameSite=Lax so the
// provider's top-level redirect back to the callback carries it.
std::string binding_cookie(const std::string& value, const OAuthSettings& settings) {
  std::string cookie = settings.cookie_name() + "=" + value + "; Path=" + settings.cookie_path() +
                       "; Max-Age=" + std::to_string(settings.state_ttl.count()) +
                       "; HttpOnly; SameSite=Lax";
  if (settings.secure_cookie) cookie += "; Secure";
  return cookie;
}

std::string outcome_label(const Result<oauth::CallbackOutcome>& outcome) {
  if (outcome) return outcome->login ? "login" : "linked";
  return outcome.error().code.message();
}

}  // namespace

// GET /api/v1/oauth/<provider>/login: 302 to the provider (SPEC 2), with the flow's state and
// PKCE challenge; the binding cookie is set on the way.
Handler oauth_login(oauth::SocialLogin& social, OAuthSettings settings) {
  return [&social, settings = std::move(settings)](
             RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    const std::string provider(context.param("provider"));
    auto started =
        co_await social.begin_login(provider, cookie(context.request, settings.cookie_name()));
    if (!started) co_return error_reply(context, started.error(), {{"provider", provider}});
    auto response = HttpResponse::empty(302);
    response.set_header("Location", started->authorization_url);
    response.set_header("Set-Cookie", binding_cookie(started->browser_binding, settings));
    response.set_header("Cache-Control", "no-store");
    co_return response;
  };
}

// POST /api/v1/oauth/<provider>/link: where to send the caller's browser to link the provider.
Handler oauth_link(oauth::SocialLogin& social, OAuthSettings settings) {
  return [&social, settings = std::move(settings)](
             RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    const std::string provider(context.param("provider"));
    auto started = co_await social.begin_link(*context.caller, provider,
                                              cookie(context.request, settings.cookie_name()));
    if (!started) co_return error_reply(context, started.error(), {{"provider", provider}});
    auto response = no_store(HttpResponse::json(
        200, boost::json::object{{"authorization_url", started->authorization_url}}));
    response.set_header("Set-Cookie", binding_cookie(started->browser_binding, settings));
    co_return response;
  };
}

// GET /api/v1/oauth/<provider>/auth?code&state: the provider's redirect back. A login answers the
// token pair like /login (no-store); a link confirms it.
Handler oauth_callback(oauth::SocialLogin& social, tracing::Metrics& metrics,
                       OAuthSettings settings) {
  return [&social, &metrics, settings = std::move(settings)](
             RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    const std::string provider(context.param("provider"));
    oauth::ProviderCallback callback;
    callback.provider = provider;
    for (auto& [name, value] : parse_form(context.request.query)) {
      callback.query.emplace(name, std::move(value));
    }
    callback.browser_binding = cookie(context.request, settings.cookie_name());
    callback.client = client_info(context.request, settings.trusted_proxies);
    auto outcome = co_await social.complete(std::move(callback));
    if (!outcome && is_category<oauth::OAuthErrc>(outcome.error().code)) {
      // A refused login is the user's business, but operators need to see provider trouble.
      log_event(spdlog::level::info, "oauth callback refused",
                {{"request_id", boost::json::value(context.request_id)},
                 {"provider", boost::json::value(provider)},
                 {"error", boost::json::value(outcome.error().describe())}});
    }
    metrics.add("auth_oauth_callbacks_total",
                {{"provider", settings.known(provider) ? provider : std::string("unknown")},
                 {"outcome", outcome_label(outcome)}});
    if (!outcome) co_return error_reply(context, outcome.error(), {{"provider", provider}});
    if (outcome->login) {
      metrics.add("auth_tokens_issued_total", {{"how", "oauth"}});
      co_return token_pair_response(outcome->login->tokens);
    }
    co_return no_store(HttpResponse::json(
        200,
        boost::json::object{{"message", provider + " account linked"}, {"provider", provider}}));
  };
}

}  // namespace authsvc::http
