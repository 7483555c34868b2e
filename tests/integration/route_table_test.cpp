// The route table as served (app/routes.cpp): every path the error map names route-specific texts
// for is a route of the API, and every route that needs a token declares it in its policy.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/object.hpp>
#include <cctype>
#include <map>
#include <set>

#include "http/error_map.hpp"
#include "support/http_client.hpp"
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

namespace authsvc::test {
namespace {

// "/api/v1/roles/{role_id:uuid}" and "/api/v1/roles/{name_or_id}" alike: parameters as "{}".
std::string normalized(std::string_view path) {
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] != '{') {
      out += path[i];
      continue;
    }
    out += "{}";
    i = path.find('}', i);
  }
  return out;
}

std::string security_of(const boost::json::object& operation) {
  const auto* security = operation.if_contains("security");
  if (security == nullptr || security->as_array().empty()) return "none";
  std::string names;
  for (const auto& requirement : security->as_array()) {
    for (const auto& [name, scopes] : requirement.as_object()) names += std::string(name);
  }
  return names.empty() ? "none" : names;
}

std::string expected_security(http::Access access) {
  switch (access) {
    case http::Access::none:
      return "none";
    case http::Access::access:
    case http::Access::admin:
      return "accessToken";
    case http::Access::refresh:
      return "refreshToken";
    case http::Access::service:
      return "introspectionClient";
  }
  return "?";
}

// The specification the binary serves (/openapi.json, from api/openapi.yaml) and the routing
// table it serves agree both ways: every route is documented with its method and path, and every
// documented operation is routed, with the security its policy asks for.
TEST(RouteTable, EveryRouteIsDocumentedAndEveryDocumentedOperationIsRouted) {
  TempDir dir;
  TestApp app(embedded_test_config(dir));
  HttpClient client(app.port());
  const auto served = client.get("/openapi.json");
  ASSERT_EQ(served.status, 200U);
  EXPECT_EQ(served.header("content-type"), "application/json");
  const auto specification = served.json().as_object();
  EXPECT_EQ(specification.at("openapi"), "3.1.0");
  EXPECT_EQ(client.get("/apispec_1.json").body, served.body);

  // Swagger UI's own files, not operations of the API.
  const std::set<std::string> undocumented{"GET /apidocs", "GET /apidocs/{}"};
  std::map<std::string, const boost::json::object*> documented;
  for (const auto& [path, item] : specification.at("paths").as_object()) {
    for (const auto& [method, operation] : item.as_object()) {
      if (method == "parameters" || method == "summary" || method == "description") continue;
      std::string key = method;
      for (char& c : key) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      documented[key + " " + normalized(path)] = &operation.as_object();
    }
  }
  std::set<std::string> routed;
  for (const auto& route : app.application().router().routes()) {
    const std::string key = route.method + " " + normalized(route.pattern);
    routed.insert(key);
    if (undocumented.contains(key)) continue;
    const auto it = documented.find(key);
    if (it == documented.end()) {
      ADD_FAILURE() << "not documented: " << route.method << " " << route.pattern;
      continue;
    }
    EXPECT_EQ(security_of(*it->second), expected_security(route.policy.access)) << key;
    if (route.policy.rate_limited) {
      EXPECT_TRUE(it->second->at("responses").as_object().contains("429")) << key;
    }
    if (route.policy.body != http::RequestBody::none) {
      EXPECT_TRUE(it->second->at("responses").as_object().contains("415")) << key;
    }
  }
  for (const auto& [key, operation] : documented) {
    EXPECT_TRUE(routed.contains(key)) << "documented but not routed: " << key;
  }
}

TEST(RouteTable, SwaggerUiIsServedFromTheBinary) {
  TempDir dir;
  TestApp app(embedded_test_config(dir));
  HttpClient client(app.port());
  const auto redirect = client.get("/apidocs");
  EXPECT_EQ(redirect.status, 308U);
  EXPECT_EQ(redirect.header("location"), "/apidocs/");
  const auto page = client.get("/apidocs/");
  ASSERT_EQ(page.status, 200U);
  EXPECT_EQ(page.header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(page.header("content-security-policy").find("default-src 'self'"), std::string::npos);
  EXPECT_NE(page.body.find("swagger-ui-bundle.js"), std::string::npos);
  const auto script = client.get("/apidocs/swagger-ui-bundle.js");
  ASSERT_EQ(script.status, 200U);
  EXPECT_EQ(script.header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_GT(script.body.size(), 500'000U);
  const auto initializer = client.get("/apidocs/swagger-initializer.js").body;
  EXPECT_NE(initializer.find("/apispec_1.json"), std::string::npos);
  EXPECT_EQ(initializer.find("petstore"), std::string::npos) << "the dist's own initializer";
  EXPECT_EQ(client.get("/apidocs/swagger-ui.css").header("content-type"),
            "text/css; charset=utf-8");
  EXPECT_EQ(client.get("/apidocs/nothing.js").status, 404U);
  EXPECT_EQ(client.get("/apidocs/..%2Fopenapi.json").status, 404U);
}

}  // namespace
}  // namespace authsvc::test
