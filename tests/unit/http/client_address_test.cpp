#include "http/client_address.hpp"

#include <gtest/gtest.h>

namespace authsvc::http {
namespace {

HttpRequest from(std::string peer, std::vector<std::pair<std::string, std::string>> headers) {
  HttpRequest request;
  request.method = "GET";
  request.path = "/";
  request.peer_ip = std::move(peer);
  request.headers = std::move(headers);
  return request;
}

TEST(ClientIp, WithoutTrustedProxiesThePeerIsTheClient) {
  const IpRangeList none;
  const auto request =
      from("127.0.0.1", {{"x-forwarded-for", "203.0.113.9"}, {"x-real-ip", "198.51.100.1"}});
  EXPECT_EQ(client_ip(request, none), "127.0.0.1") << "a local client cannot choose its bucket";
}

TEST(ClientIp, TheRightmostHopThatIsNotATrustedProxyIsTheClient) {
  const IpRangeList proxies({"10.0.0.0/8"});
  // The client wrote "1.1.1.1" itself; the edge proxy appended the address it saw.
  const auto request = from("10.0.0.2", {{"x-forwarded-for", "1.1.1.1, 203.0.113.9, 10.0.0.5"}});
  EXPECT_EQ(client_ip(request, proxies), "203.0.113.9");
}

TEST(ClientIp, XRealIpIsTheNearestHop) {
  const IpRangeList proxies({"127.0.0.1"});
  EXPECT_EQ(client_ip(from("127.0.0.1", {{"x-real-ip", "::ffff:198.51.100.4"}}), proxies),
            "198.51.100.4")
      << "normalised";
  EXPECT_EQ(client_ip(from("127.0.0.1",
                           {{"x-forwarded-for", "203.0.113.9"}, {"x-real-ip", "198.51.100.4"}}),
                      proxies),
            "198.51.100.4");
}

TEST(ClientIp, AHopThatIsNotAnAddressEndsTheWalk) {
  const IpRangeList proxies({"10.0.0.0/8"});
  EXPECT_EQ(client_ip(from("10.0.0.2", {{"x-forwarded-for", "203.0.113.9, garbage"}}), proxies),
            "10.0.0.2");
  EXPECT_EQ(client_ip(from("10.0.0.2", {{"x-forwarded-for", "garbage, 10.0.0.7"}}), proxies),
            "10.0.0.7");
  EXPECT_EQ(client_ip(from("10.0.0.2", {{"x-real-ip", "<script>"}}), proxies), "10.0.0.2")
      << "only addresses are ever stored";
}

TEST(ClientIp, AnUntrustedPeersHeadersAreIgnored) {
  const IpRangeList proxies({"10.0.0.0/8"});
  EXPECT_EQ(client_ip(from("203.0.113.50", {{"x-forwarded-for", "1.2.3.4"}}), proxies),
            "203.0.113.50");
  EXPECT_EQ(client_ip(from("::ffff:203.0.113.50", {}), proxies), "203.0.113.50");
}

}  // namespace
}  // namespace authsvc::http
