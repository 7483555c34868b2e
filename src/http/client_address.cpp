#include "http/client_address.hpp"

#include <algorithm>

namespace authsvc::http {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool is_trusted(const std::string& peer, const std::vector<std::string>& trusted) {
  return std::find(trusted.begin(), trusted.end(), peer) != trusted.end();
}

}  // namespace

std::string client_ip(const HttpRequest& request, const std::vector<std::string>& trusted_proxies) {
  if (is_trusted(request.peer_ip, trusted_proxies)) {
    if (const auto real = request.header("x-real-ip"); real && !trim(*real).empty()) {
      return std::string(trim(*real));
    }
    if (const auto forwarded = request.header("x-forwarded-for")) {
      const auto first = trim(forwarded->substr(0, forwarded->find(',')));
      if (!first.empty()) return std::string(first);
    }
  }
  return request.peer_ip;
}

auth::ClientInfo client_info(const HttpRequest& request,
                             const std::vector<std::string>& trusted_proxies) {
  auth::ClientInfo info;
  if (const auto agent = request.header("user-agent")) info.user_agent = std::string(*agent);
  info.ip = client_ip(request, trusted_proxies);
  return info;
}

std::string public_base_url(const HttpRequest& request, const std::string& public_url,
                            const std::vector<std::string>& trusted_proxies) {
  if (!public_url.empty()) return public_url;
  std::string scheme = "http";
  if (is_trusted(request.peer_ip, trusted_proxies)) {
    if (const auto proto = request.header("x-forwarded-proto");
        proto && (*proto == "https" || *proto == "http")) {
      scheme = std::string(*proto);
    }
  }
  const auto host = request.header("host");
  return scheme + "://" + std::string(host ? trim(*host) : std::string_view("localhost"));
}

}  // namespace authsvc::http
