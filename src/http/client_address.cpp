#include "http/client_address.hpp"

#include <vector>

namespace authsvc::http {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool is_trusted(const std::string& peer, const IpRangeList& trusted) {
  return !trusted.empty() && trusted.contains(peer);
}

// The hops a proxy reports, nearest last: X-Forwarded-For's entries, then X-Real-IP.
std::vector<std::string_view> reported_hops(const HttpRequest& request) {
  std::vector<std::string_view> hops;
  if (const auto forwarded = request.header("x-forwarded-for")) {
    std::string_view rest = *forwarded;
    while (true) {
      const auto comma = rest.find(',');
      hops.push_back(trim(rest.substr(0, comma)));
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  if (const auto real = request.header("x-real-ip")) hops.push_back(trim(*real));
  return hops;
}

}  // namespace

std::string client_ip(const HttpRequest& request, const IpRangeList& trusted_proxies) {
  const auto peer = parse_ip(request.peer_ip);
  if (!peer) return request.peer_ip;  // a Unix socket or the like: kept as the socket named it
  auto client = *peer;
  if (!trusted_proxies.empty() && trusted_proxies.contains(client)) {
    const auto hops = reported_hops(request);
    for (auto hop = hops.rbegin(); hop != hops.rend(); ++hop) {
      const auto address = parse_ip(*hop);
      if (!address) break;
      client = *address;
      if (!trusted_proxies.contains(client)) break;
    }
  }
  return client.to_string();
}

auth::ClientInfo client_info(const HttpRequest& request, const IpRangeList& trusted_proxies) {
  auth::ClientInfo info;
  if (const auto agent = request.header("user-agent")) info.user_agent = std::string(*agent);
  info.ip = client_ip(request, trusted_proxies);
  return info;
}

std::string public_base_url(const HttpRequest& request, const std::string& public_url,
                            const IpRangeList& trusted_proxies) {
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
