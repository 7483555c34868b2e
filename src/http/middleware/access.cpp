#include "http/middleware/access.hpp"

#include <boost/json/object.hpp>

#include "auth/account_errors.hpp"
#include "auth/roles.hpp"
#include "http/client_credentials.hpp"
#include "http/error_map.hpp"
#include "http/token_request.hpp"

namespace authsvc::http {
namespace {

HttpResponse invalid_client() {
  auto response =
      HttpResponse::json(401, boost::json::object{{"error", "invalid_client"},
                                                  {"message", "client authentication required"}});
  response.set_header("WWW-Authenticate", "Basic realm=\"auth\"");
  return response;
}

boost::asio::awaitable<Result<auth::Caller>> caller_of(auth::Authenticator& authenticator,
                                                       const RequestContext& context,
                                                       Access access) {
  if (!context.bearer) co_return Error(InfraErrc::internal, "no bearer token was verified");
  if (!*context.bearer) co_return context.bearer->error();
  co_return co_await authenticator.accept(context.bearer->value(), access == Access::refresh
                                                                       ? tokens::TokenType::refresh
                                                                       : tokens::TokenType::access);
}

}  // namespace

Middleware access_middleware(auth::Authenticator& authenticator, tracing::Metrics& metrics) {
  return [&authenticator, &metrics](RequestContext& context, const Route& route,
                                    Next next) -> boost::asio::awaitable<HttpResponse> {
    const Access access = route.policy.access;
    if (access == Access::none) co_return co_await next(context);
    if (access == Access::service) {
      if (!context.service_client) co_return invalid_client();
      co_return co_await next(context);
    }
    auto caller = co_await caller_of(authenticator, context, access);
    if (!caller) {
      if (is_category<tokens::TokenErrc>(caller.error().code)) {
        metrics.add("auth_tokens_rejected_total", {{"reason", caller.error().code.message()}});
      }
      co_return error_reply(context, caller.error());
    }
    if (access == Access::admin && !(caller->user && auth::Roles::is_admin(*caller->user))) {
      co_return error_reply(context, Error(auth::AccountErrc::not_admin));
    }
    context.caller = std::move(caller).value();
    co_return co_await next(context);
  };
}

}  // namespace authsvc::http
