#pragma once

#include <boost/asio/ip/address.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace authsvc {

// An IP address parsed and normalised: an IPv4-mapped IPv6 address (::ffff:192.0.2.1) is the IPv4
// address it carries, so both spellings are one client. nullopt for anything that is not an
// address (names, ports, garbage).
std::optional<boost::asio::ip::address> parse_ip(std::string_view text);

// An address or a CIDR range ("10.0.0.0/8", "fd00::/8", "192.0.2.7").
class IpRange {
 public:
  static std::optional<IpRange> parse(std::string_view text);
  bool contains(const boost::asio::ip::address& address) const;

 private:
  boost::asio::ip::address network_;
  unsigned prefix_ = 0;
};

// The ranges of a setting such as TRUSTED_PROXIES or METRICS_ALLOW.
class IpRangeList {
 public:
  IpRangeList() = default;
  // Entries that do not parse are left out (configuration refuses them first).
  explicit IpRangeList(const std::vector<std::string>& entries);
  bool contains(const boost::asio::ip::address& address) const;
  bool contains(std::string_view address) const;
  bool empty() const { return ranges_.empty(); }

 private:
  std::vector<IpRange> ranges_;
};

}  // namespace authsvc
