#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace authsvc::test {

struct HttpResult {
  unsigned status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;

  boost::json::value json() const;
  std::string header(const std::string& lower_name) const;
};

// A blocking HTTP/1.1 client for tests (one connection per call unless a Connection is reused).
class HttpClient {
 public:
  explicit HttpClient(std::uint16_t port, std::string host = "127.0.0.1");
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  HttpResult request(const std::string& method, const std::string& target,
                     const std::string& body = {},
                     const std::vector<std::pair<std::string, std::string>>& headers = {});
  HttpResult get(const std::string& target,
                 const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    return request("GET", target, {}, headers);
  }

 private:
  struct Impl;
  Impl* impl_;
};

// Sends raw bytes on a fresh connection, half-closes it, and returns whatever the server answers
// before closing (or until `timeout_ms` passes without data).
std::string send_raw(std::uint16_t port, const std::string& bytes, int timeout_ms = 3000);

}  // namespace authsvc::test
