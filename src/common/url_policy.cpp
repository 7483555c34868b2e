#include "common/url_policy.hpp"

#include <algorithm>
#include <charconv>

namespace authsvc {
namespace {

bool is_loopback_ipv4(std::string_view host) {
  int octets = 0;
  int first = -1;
  while (!host.empty()) {
    const auto dot = host.find('.');
    const auto part = host.substr(0, dot);
    int value = -1;
    const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (part.empty() || part.size() > 3 || ec != std::errc() || end != part.data() + part.size() ||
        value > 255) {
      return false;
    }
    if (octets == 0) first = value;
    ++octets;
    if (dot == std::string_view::npos) break;
    host.remove_prefix(dot + 1);
  }
  return octets == 4 && first == 127;
}

// The host of an http(s) URL's authority, brackets kept for IPv6.
std::string_view host_of(std::string_view rest) {
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  if (authority.starts_with('[')) return authority.substr(0, authority.find(']') + 1);
  return authority.substr(0, authority.find(':'));
}

}  // namespace

bool is_https_or_loopback_url(std::string_view url) {
  if (std::any_of(url.begin(), url.end(),
                  [](char c) { return static_cast<unsigned char>(c) <= ' ' || c == 0x7f; })) {
    return false;
  }
  if (url.starts_with("https://")) return !host_of(url.substr(8)).empty();
  if (!url.starts_with("http://")) return false;
  const auto host = host_of(url.substr(7));
  return host == "localhost" || host == "[::1]" || is_loopback_ipv4(host);
}

}  // namespace authsvc
