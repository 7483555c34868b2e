#include "http/body_type.hpp"

#include <cctype>

#include "http/strict_json.hpp"

namespace authsvc::http {
namespace {

bool is_form_media_type(std::string_view content_type) {
  constexpr std::string_view kForm = "application/x-www-form-urlencoded";
  const auto type = content_type.substr(0, content_type.find(';'));
  if (type.size() < kForm.size()) return false;
  for (std::size_t i = 0; i < kForm.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(type[i])) != kForm[i]) return false;
  }
  return type.find_first_not_of(" \t", kForm.size()) == std::string_view::npos;
}

bool accepted(RequestBody expected, std::string_view content_type) {
  if (is_json_media_type(content_type)) return true;
  return expected == RequestBody::json_or_form && is_form_media_type(content_type);
}

}  // namespace

std::optional<HttpResponse> body_type_refusal(RequestBody expected, const HttpRequest& request) {
  if (expected == RequestBody::none || request.body.empty()) return std::nullopt;
  const auto type = request.header("content-type");
  if (type && accepted(expected, *type)) return std::nullopt;
  return HttpResponse::message(415, expected == RequestBody::json
                                        ? "Content-Type must be application/json"
                                        : "Content-Type must be application/json or "
                                          "application/x-www-form-urlencoded");
}

}  // namespace authsvc::http
