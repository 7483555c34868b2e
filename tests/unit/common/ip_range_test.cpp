#include "common/ip_range.hpp"

#include <gtest/gtest.h>

namespace authsvc {
namespace {

TEST(ParseIp, NormalisesAndRefusesWhatIsNotAnAddress) {
  EXPECT_EQ(parse_ip("192.0.2.7")->to_string(), "192.0.2.7");
  EXPECT_EQ(parse_ip("::ffff:192.0.2.7")->to_string(), "192.0.2.7") << "IPv4-mapped is IPv4";
  EXPECT_EQ(parse_ip("2001:DB8::0:1")->to_string(), "2001:db8::1");
  for (const char* bad : {"", "localhost", "192.0.2.7:80", "192.0.2", "1.2.3.4.5", "fe80::1%eth0",
                          "[::1]", "192.0.2.7 ", "unknown"}) {
    EXPECT_FALSE(parse_ip(bad)) << bad;
  }
}

TEST(IpRange, MatchesAddressesAndCidrRangesOfEitherFamily) {
  const auto single = IpRange::parse("192.0.2.7");
  ASSERT_TRUE(single);
  EXPECT_TRUE(single->contains(*parse_ip("192.0.2.7")));
  EXPECT_TRUE(single->contains(*parse_ip("::ffff:192.0.2.7")));
  EXPECT_FALSE(single->contains(*parse_ip("192.0.2.8")));

  const auto private_net = IpRange::parse("10.0.0.0/8");
  ASSERT_TRUE(private_net);
  EXPECT_TRUE(private_net->contains(*parse_ip("10.255.1.2")));
  EXPECT_FALSE(private_net->contains(*parse_ip("11.0.0.1")));
  EXPECT_FALSE(private_net->contains(*parse_ip("::1")));

  const auto odd = IpRange::parse("172.16.0.0/12");
  ASSERT_TRUE(odd);
  EXPECT_TRUE(odd->contains(*parse_ip("172.31.255.255")));
  EXPECT_FALSE(odd->contains(*parse_ip("172.32.0.0")));

  const auto v6 = IpRange::parse("fd00::/8");
  ASSERT_TRUE(v6);
  EXPECT_TRUE(v6->contains(*parse_ip("fd12:3456::1")));
  EXPECT_FALSE(v6->contains(*parse_ip("fe80::1")));

  const auto mapped = IpRange::parse("::ffff:10.0.0.0/104");
  ASSERT_TRUE(mapped);
  EXPECT_TRUE(mapped->contains(*parse_ip("10.1.2.3")));

  EXPECT_TRUE(IpRange::parse("0.0.0.0/0")->contains(*parse_ip("203.0.113.1")));
  for (const char* bad : {"10.0.0.0/33", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8x", "::/129",
                          "nginx", "::ffff:10.0.0.0/8"}) {
    EXPECT_FALSE(IpRange::parse(bad)) << bad;
  }
}

TEST(IpRangeList, EmptyTrustsNothing) {
  const IpRangeList none;
  EXPECT_TRUE(none.empty());
  EXPECT_FALSE(none.contains("127.0.0.1"));
  const IpRangeList some({"127.0.0.1", "10.0.0.0/8"});
  EXPECT_TRUE(some.contains("10.2.3.4"));
  EXPECT_TRUE(some.contains("::ffff:127.0.0.1"));
  EXPECT_FALSE(some.contains("not an address"));
}

}  // namespace
}  // namespace authsvc
