// The route table as served (app/routes.cpp): every path the error map names route-specific texts
// for is a route of the API, and every route that needs a token declares it in its policy.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "http/error_map.hpp"
#include "support/test_app.hpp"

namespace authsvc::test {
namespace {

TEST(RouteTable, TheErrorMapNamesOnlyRoutesOfTheApi) {
  TempDir dir;
  TestApp app(embedded_test_config(dir));
  std::set<std::string> patterns;
  for (const auto& route : app.application().router().routes()) patterns.insert(route.pattern);
  for (const auto route : http::error_map_routes()) {
    EXPECT_TRUE(patterns.contains(std::string(route))) << route;
  }
}

TEST(RouteTable, EveryAccountAndAdminRouteNeedsAToken) {
  TempDir dir;
  TestApp app(embedded_test_config(dir));
  for (const auto& route : app.application().router().routes()) {
    // Under /api/v1/auth/ only these are open to anyone (SPEC 2 and 3).
    static const std::set<std::string> open{"/api/v1/auth/signup", "/api/v1/auth/login",
                                            "/api/v1/auth/revoke", "/api/v1/auth/introspect"};
    const bool personal =
        route.pattern.starts_with("/api/v1/auth/") && !open.contains(route.pattern);
    if (personal) {
      EXPECT_NE(route.policy.access, http::Access::none) << route.method << " " << route.pattern;
    }
    if (route.pattern.starts_with("/api/v1/users/") ||
        route.pattern.starts_with("/api/v1/roles/")) {
      EXPECT_EQ(route.policy.access, http::Access::admin) << route.method << " " << route.pattern;
    }
  }
}

}  // namespace
}  // namespace authsvc::test
