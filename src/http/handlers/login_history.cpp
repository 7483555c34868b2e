#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <charconv>

#include "auth/account_errors.hpp"
#include "common/clock.hpp"
#include "http/error_reply.hpp"
#include "http/handlers/api_routes.hpp"
#include "http/handlers/api_support.hpp"

namespace authsvc::http {
namespace {

// Flask's request.args.get(name, default, type=int): a missing or non-integer value is the
// default.
std::int64_t query_int(std::string_view query, std::string_view name, std::int64_t fallback) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos || pair.substr(0, eq) != name) continue;
    const auto text = pair.substr(eq + 1);
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return fallback;
    return value;
  }
  return fallback;
}

boost::json::value page_number(const std::optional<std::int64_t>& page) {
  return page ? boost::json::value(*page) : boost::json::value(nullptr);
}

}  // namespace

// GET /api/v1/auth/login-history/<user_id>?page=N&per_page=M, newest first.
Route login_history_route(ApiServices& api) {
  auto handler = [&api](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    auto claims = co_await authenticate(api, context.request, tokens::TokenType::access);
    if (!claims) co_return error_reply(context, claims.error());
    const std::string user_id(context.param("user_id"));
    if (user_id != claims->sub)
      co_return HttpResponse::message(400, "This histories does not belong to you!");
    const auto page = query_int(context.request.query, "page", 1);
    const auto per_page = query_int(context.request.query, "per_page", 2);
    auto history = co_await api.history.page(user_id, page, per_page);
    if (!history) {
      if (history.error().is(auth::AccountErrc::page_not_found))
        co_return HttpResponse::message(404, "Page not found");
      co_return error_reply(context, history.error());
    }
    boost::json::array result;
    for (const auto& entry : history->items) {
      result.push_back(boost::json::object{
          {"user_agent",
           entry.user_agent ? boost::json::value(*entry.user_agent) : boost::json::value(nullptr)},
          {"authentication_date", format_iso8601(entry.authentication_date)}});
    }
    co_return HttpResponse::json(200, boost::json::object{{"result", std::move(result)},
                                                          {"prev", page_number(history->prev)},
                                                          {"next", page_number(history->next)},
                                                          {"total_items", history->total_items},
                                                          {"total_pages", history->total_pages}});
  };
  return {"GET",
          "/api/v1/auth/login-history/{user_id:uuid}",
          std::move(handler),
          {.rate_limited = true}};
}

}  // namespace authsvc::http
