#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "common/clock.hpp"
#include "http/error_map.hpp"
#include "http/handlers/handlers.hpp"
#include "http/json_values.hpp"

namespace authsvc::http {

// GET /api/v1/oauth/accounts: the caller's linked social accounts.
Handler oauth_accounts(oauth::SocialLogin& social) {
  return [&social](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    auto links = co_await social.accounts(context.caller->user_id());
    if (!links) co_return error_reply(context, links.error());
    boost::json::array out;
    for (const auto& record : *links) {
      out.push_back(boost::json::object{{"provider", record.link.provider},
                                        {"provider_user_id", record.link.provider_user_id},
                                        {"email", json_or_null(record.link.email)},
                                        {"linked_at", format_iso8601(record.linked_at)}});
    }
    co_return HttpResponse::json(200, boost::json::object{{"accounts", std::move(out)}});
  };
}

// DELETE /api/v1/oauth/<provider>: unlinks it (not the last way to sign in); the sessions it opened
// end.
Handler oauth_unlink(oauth::SocialLogin& social) {
  return [&social](RequestContext& context) -> boost::asio::awaitable<HttpResponse> {
    const std::string provider(context.param("provider"));
    auto unlinked = co_await social.unlink(*context.caller, provider);
    if (!unlinked) co_return error_reply(context, unlinked.error(), {{"provider", provider}});
    co_return HttpResponse::empty(204);
  };
}

}  // namespace authsvc::http
