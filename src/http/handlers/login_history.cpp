#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <charconv>

#include "common/clock.hpp"
#include "http/error_map.hpp"
#include "http/handlers/handlers.hpp"

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
Handler login_history(auth::LoginHistory& history) {
  return [&history](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    const auto page = query_int(context.request.query, "page", 1);
    const auto per_page = query_int(context.request.query, "per_page", 2);
    auto found = co_await history.page(context.caller->user_id(),
                                       std::string(context.param("user_id")), page, per_page);
    if (!found) co_return error_reply(context, found.error());
    boost::json::array result;
    for (const auto& entry : found->items) {
      result.push_back(boost::json::object{
          {"user_agent",
           entry.user_agent ? boost::json::value(*entry.user_agent) : boost::json::value(nullptr)},
          {"authentication_date", format_iso8601(entry.authentication_date)}});
    }
    co_return HttpResponse::json(200, boost::json::object{{"result", std::move(result)},
                                                          {"prev", page_number(found->prev)},
                                                          {"next", page_number(found->next)},
                                                          {"total_items", found->total_items},
                                                          {"total_pages", found->total_pages}});
  };
}

}  // namespace authsvc::http
