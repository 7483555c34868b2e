#include "http/token_request.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "http/request_fields.hpp"
#include "http/strict_json.hpp"

namespace authsvc::http {

std::map<std::string, std::string, std::less<>> token_request_parameters(
    const HttpRequest& request) {
  const auto type = request.header("content-type");
  if (type && is_json_media_type(*type)) {
    std::map<std::string, std::string, std::less<>> out;
    // Malformed, or ambiguous (a key twice): no parameters, so the request is refused.
    const auto strict = parse_strict_json(request.body);
    const auto& parsed = strict.value;
    if (strict.problem != JsonBodyProblem::none || !parsed.is_object()) return out;
    for (const auto& member : parsed.get_object()) {
      if (member.value().is_string())
        out.emplace(std::string(member.key()), std::string(member.value().get_string()));
    }
    return out;
  }
  return parse_form(request.body);
}

HttpResponse missing_token_response() {
  return HttpResponse::json(
      400,
      boost::json::object{
          {"error", "invalid_request"},
          {"message", boost::json::object{
                          {"token", boost::json::array{"Missing data for required field."}}}}});
}

}  // namespace authsvc::http
