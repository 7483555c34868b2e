#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace authsvc::http {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// A parsed request, independent of Beast so handlers compile without it.
struct HttpRequest {
  std::string method;  // upper case, e.g. "GET"
  std::string target;  // as received: path and query
  std::string path;    // percent-decoding is left to handlers
  std::string query;   // without '?'
  HeaderList headers;  // names lower-cased
  std::string body;
  std::string peer_ip;

  std::optional<std::string_view> header(std::string_view lower_name) const;
};

struct HttpResponse {
  unsigned status = 200;
  std::string content_type = "application/json";
  HeaderList headers;
  std::string body;
  bool close_connection = false;

  void set_header(std::string name, std::string value);
  std::optional<std::string_view> header(std::string_view name) const;

  static HttpResponse json(unsigned status, const boost::json::value& body);
  // {"message": text}: the body of successes and business errors (SPEC R1).
  static HttpResponse message(unsigned status, std::string_view text);
  static HttpResponse text(unsigned status, std::string body,
                           std::string content_type = "text/plain; charset=utf-8");
  static HttpResponse empty(unsigned status);
};

}  // namespace authsvc::http
