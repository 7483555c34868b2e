#include "common/ip_range.hpp"

#include <charconv>

namespace authsvc {
namespace {

boost::asio::ip::address normalised(const boost::asio::ip::address& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6());
  }
  return address;
}

}  // namespace

std::optional<boost::asio::ip::address> parse_ip(std::string_view text) {
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  // A zone (fe80::1%eth0) names an interface of the machine that wrote it: meaningless here.
  if (address.is_v6() && address.to_v6().scope_id() != 0) return std::nullopt;
  return normalised(address);
}

std::optional<IpRange> IpRange::parse(std::string_view text) {
  const auto slash = text.find('/');
  const auto address = parse_ip(text.substr(0, slash));
  if (!address) return std::nullopt;
  // "::ffff:10.0.0.0/104" is the IPv4 range 10.0.0.0/8: its prefix counts the mapping's 96 bits.
  const bool written_as_v6 = text.substr(0, slash).find(':') != std::string_view::npos;
  const unsigned written_bits = written_as_v6 ? 128 : 32;
  unsigned prefix = written_bits;
  if (slash != std::string_view::npos) {
    const auto digits = text.substr(slash + 1);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() ||
        prefix > written_bits) {
      return std::nullopt;
    }
  }
  if (written_as_v6 && address->is_v4()) {
    if (prefix < 96) return std::nullopt;
    prefix -= 96;
  }
  IpRange range;
  range.network_ = *address;
  range.prefix_ = prefix;
  return range;
}

bool IpRange::contains(const boost::asio::ip::address& candidate) const {
  const auto address = normalised(candidate);
  if (address.is_v4() != network_.is_v4()) return false;
  const auto compare = [this](const auto& a, const auto& b) {
    unsigned left = prefix_;
    for (std::size_t i = 0; i < a.size() && left > 0; ++i) {
      const unsigned take = left >= 8 ? 8 : left;
      const auto mask = static_cast<unsigned char>(0xFF << (8 - take));
      if ((a[i] & mask) != (b[i] & mask)) return false;
      left -= take;
    }
    return true;
  };
  if (address.is_v4()) return compare(address.to_v4().to_bytes(), network_.to_v4().to_bytes());
  return compare(address.to_v6().to_bytes(), network_.to_v6().to_bytes());
}

IpRangeList::IpRangeList(const std::vector<std::string>& entries) {
  for (const auto& entry : entries) {
    if (auto range = IpRange::parse(entry)) ranges_.push_back(*range);
  }
}

bool IpRangeList::contains(const boost::asio::ip::address& address) const {
  for (const auto& range : ranges_) {
    if (range.contains(address)) return true;
  }
  return false;
}

bool IpRangeList::contains(std::string_view address) const {
  const auto parsed = parse_ip(address);
  return parsed && contains(*parsed);
}

}  // namespace authsvc
