#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "auth/account_errors.hpp"
#include "common/clock.hpp"
#include "http/error_reply.hpp"
#include "http/handlers/api_routes.hpp"
#include "http/handlers/api_support.hpp"
#include "http/json_values.hpp"

namespace authsvc::http {
// GET /api/v1/auth/sessions, DELETE /api/v1/auth/sessions/<id>, DELETE /api/v1/auth/sessions.
std::vector<Route> session_routes(ApiServices& api) {
  auto list = [&api](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    auto claims = co_await authenticate(api, context.request, tokens::TokenType::access);
    if (!claims) co_return error_reply(context, claims.error());
    auto sessions = co_await api.sessions.list(claims->sub);
    if (!sessions) co_return error_reply(context, sessions.error());
    boost::json::array out;
    for (const auto& session : *sessions) {
      out.push_back(boost::json::object{{"id", session.id},
                                        {"user_agent", json_or_null(session.user_agent)},
                                        {"ip", json_or_null(session.ip)},
                                        {"created_at", format_iso8601(session.created_at)},
                                        {"refreshed_at", format_iso8601(session.refreshed_at)},
                                        {"current", claims->sid == session.id}});
    }
    co_return HttpResponse::json(200, boost::json::object{{"sessions", std::move(out)}});
  };
  auto end_one = [&api](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    auto claims = co_await authenticate(api, context.request, tokens::TokenType::access);
    if (!claims) co_return error_reply(context, claims.error());
    auto ended = co_await api.sessions.end(claims->sub, std::string(context.param("session_id")));
    if (!ended) {
      if (ended.error().is(auth::AccountErrc::session_not_found))
        co_return HttpResponse::message(404, "Session not found");
      co_return error_reply(context, ended.error());
    }
    api.metrics.add("auth_revocations_total", {{"how", "session_ended"}});
    co_return HttpResponse::empty(204);
  };
  auto end_all = [&api](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    auto claims = co_await authenticate(api, context.request, tokens::TokenType::access);
    if (!claims) co_return error_reply(context, claims.error());
    auto ended = co_await api.sessions.end_all(claims->sub, std::nullopt, "ended_all_by_user");
    if (!ended) co_return error_reply(context, ended.error());
    api.metrics.add("auth_revocations_total", {{"how", "all_sessions_ended"}});
    co_return HttpResponse::empty(204);
  };
  std::vector<Route> routes;
  routes.push_back({"GET", "/api/v1/auth/sessions", std::move(list), {.rate_limited = true}});
  routes.push_back({"DELETE",
                    "/api/v1/auth/sessions/{session_id:uuid}",
                    std::move(end_one),
                    {.rate_limited = true}});
  routes.push_back({"DELETE", "/api/v1/auth/sessions", std::move(end_all), {.rate_limited = true}});
  return routes;
}

}  // namespace authsvc::http
