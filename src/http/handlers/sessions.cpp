#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "common/clock.hpp"
#include "http/error_map.hpp"
#include "http/handlers/handlers.hpp"
#include "http/json_values.hpp"

namespace authsvc::http {

// GET /api/v1/auth/sessions: the caller's live sessions, newest first.
Handler list_sessions(auth::Sessions& sessions) {
  return [&sessions](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    const auto& caller = *context.caller;
    auto live = co_await sessions.list(caller.user_id());
    if (!live) co_return error_reply(context, live.error());
    boost::json::array out;
    for (const auto& session : *live) {
      out.push_back(boost::json::object{{"id", session.id},
                                        {"user_agent", json_or_null(session.user_agent)},
                                        {"ip", json_or_null(session.ip)},
                                        {"created_at", format_iso8601(session.created_at)},
                                        {"refreshed_at", format_iso8601(session.refreshed_at)},
                                        {"current", caller.claims.sid == session.id}});
    }
    co_return HttpResponse::json(200, boost::json::object{{"sessions", std::move(out)}});
  };
}

// DELETE /api/v1/auth/sessions/<session_id>: ends one of the caller's sessions.
Handler end_session(auth::Sessions& sessions, tracing::Metrics& metrics) {
  return [&sessions, &metrics](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    auto ended =
        co_await sessions.end(context.caller->user_id(), std::string(context.param("session_id")));
    if (!ended) co_return error_reply(context, ended.error());
    metrics.add("auth_revocations_total", {{"how", "session_ended"}});
    co_return HttpResponse::empty(204);
  };
}

// DELETE /api/v1/auth/sessions: "log out everywhere".
Handler end_all_sessions(auth::Sessions& sessions, tracing::Metrics& metrics) {
  return [&sessions, &metrics](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    auto ended =
        co_await sessions.end_all(context.caller->user_id(), std::nullopt, "ended_all_by_user");
    if (!ended) co_return error_reply(context, ended.error());
    metrics.add("auth_revocations_total", {{"how", "all_sessions_ended"}});
    co_return HttpResponse::empty(204);
  };
}

}  // namespace authsvc::http
