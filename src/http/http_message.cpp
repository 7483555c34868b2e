#include "http/http_message.hpp"

#include <strings.h>

#include <boost/json/serialize.hpp>

namespace authsvc::http {

std::optional<std::string_view> HttpRequest::header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return std::string_view(value);
  }
  return std::nullopt;
}

void HttpResponse::set_header(std::string name, std::string value) {
  for (auto& [existing, current] : headers) {
    if (existing.size() == name.size() &&
        strncasecmp(existing.c_str(), name.c_str(), name.size()) == 0) {
      current = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

std::optional<std::string_view> HttpResponse::header(std::string_view name) const {
  for (const auto& [existing, value] : headers) {
    if (existing.size() == name.size() &&
        strncasecmp(existing.c_str(), name.data(), name.size()) == 0) {
      return std::string_view(value);
    }
  }
  return std::nullopt;
}

HttpResponse HttpResponse::json(unsigned status, const boost::json::value& body) {
  HttpResponse response;
  response.status = status;
  response.body = boost::json::serialize(body);
  return response;
}

HttpResponse HttpResponse::message(unsigned status, std::string_view text) {
  return json(status, boost::json::object{{"message", text}});
}

HttpResponse HttpResponse::text(unsigned status, std::string body, std::string content_type) {
  HttpResponse response;
  response.status = status;
  response.content_type = std::move(content_type);
  response.body = std::move(body);
  return response;
}

HttpResponse HttpResponse::empty(unsigned status) {
  HttpResponse response;
  response.status = status;
  response.content_type.clear();
  return response;
}

}  // namespace authsvc::http
