#include "common/url_policy.hpp"

#include <gtest/gtest.h>

namespace authsvc {
namespace {

TEST(UrlPolicy, HttpsAnywhereHttpOnlyOnLoopback) {
  for (const char* url :
       {"https://accounts.google.com/.well-known/openid-configuration",
        "https://10.0.0.1:8443/token", "http://127.0.0.1:9000/token", "http://127.1.2.3/x",
        "http://localhost:8080", "http://[::1]:8080/x", "http://user@127.0.0.1:1/x"}) {
    EXPECT_TRUE(is_https_or_loopback_url(url)) << url;
  }
  for (const char* url :
       {"http://example.com/token", "http://10.0.0.1/x", "http://127.0.0.1.nip.io/x",
        "http://127.evil.com/x", "http://128.0.0.1/x", "http://127.0.0.1@evil.com/x",
        "ftp://127.0.0.1/x", "https://", "", "https://good.example/a\r\nSet-Cookie: x",
        "https://good.example/a b", "javascript:alert(1)", "http://[::2]/x"}) {
    EXPECT_FALSE(is_https_or_loopback_url(url)) << url;
  }
}

}  // namespace
}  // namespace authsvc
