#include "http/error_reply.hpp"

#include <boost/json/object.hpp>

#include "common/log.hpp"
#include "tokens/token_errc.hpp"

namespace authsvc::http {

HttpResponse error_reply(const RequestContext& context, const Error& error) {
  if (const auto reply = tokens::token_error_reply(error)) {
    return HttpResponse::json(static_cast<unsigned>(reply->status),
                              boost::json::object{{"msg", reply->msg}});
  }
  if (error.code.category() == infra_category() && !error.is(InfraErrc::internal)) {
    log_event(spdlog::level::warn, "request failed: backend unavailable",
              {{"request_id", boost::json::value(context.request_id)},
               {"route", boost::json::value(context.route)},
               {"error", boost::json::value(error.describe())}});
    auto response = HttpResponse::message(503, error.is(InfraErrc::overloaded)
                                                   ? "service overloaded, retry later"
                                                   : "service temporarily unavailable");
    response.set_header("Retry-After", "1");
    return response;
  }
  log_event(spdlog::level::err, "request failed",
            {{"request_id", boost::json::value(context.request_id)},
             {"route", boost::json::value(context.route)},
             {"error", boost::json::value(error.describe())}});
  return HttpResponse::message(500, "internal server error");
}

HttpResponse no_store(HttpResponse response) {
  response.set_header("Cache-Control", "no-store");
  response.set_header("Pragma", "no-cache");
  return response;
}

}  // namespace authsvc::http
