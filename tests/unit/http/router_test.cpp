#include "http/router.hpp"

#include <gtest/gtest.h>

namespace authsvc::http {
namespace {

Handler noop() {
  return [](RequestContext&) -> boost::asio::awaitable<HttpResponse> {
    co_return HttpResponse::empty(204);
  };
}

Router sample_router() {
  Router router;
  router.add({"GET", "/api/v1/roles/", {}, noop()});
  router.add({"POST", "/api/v1/roles/", {}, noop()});
  router.add({"GET", "/api/v1/roles/{name}", {}, noop()});
  router.add({"PATCH", "/api/v1/roles/{role_id:uuid}", {}, noop()});
  router.add({"POST", "/api/v1/users/{user_id:uuid}/roles/{role_id:uuid}", {}, noop()});
  return router;
}

TEST(Router, MatchesLiteralRouteWithTrailingSlash) {
  const Router router = sample_router();
  const auto match = router.match("GET", "/api/v1/roles/");
  ASSERT_EQ(match.kind, RouteMatch::Kind::found);
  EXPECT_EQ(match.route->pattern, "/api/v1/roles/");
  EXPECT_EQ(router.match("GET", "/api/v1/roles").kind, RouteMatch::Kind::not_found);
}

TEST(Router, ExtractsTypedParameters) {
  const Router router = sample_router();
  const auto match = router.match("POST",
                                  "/api/v1/users/6a1f0e5e-3c1b-4f7e-9d2a-0a1b2c3d4e5f/roles/"
                                  "0B1C2D3E-4F50-4617-8283-949596979899");
  ASSERT_EQ(match.kind, RouteMatch::Kind::found);
  ASSERT_EQ(match.params.size(), 2U);
  EXPECT_EQ(match.params[0].first, "user_id");
  EXPECT_EQ(match.params[0].second, "6a1f0e5e-3c1b-4f7e-9d2a-0a1b2c3d4e5f");
  EXPECT_EQ(match.params[1].first, "role_id");
}

TEST(Router, UuidParametersArriveLowerCase) {
  const Router router = sample_router();
  const auto match = router.match("POST",
                                  "/api/v1/users/6A1F0E5E-3C1B-4F7E-9D2A-0A1B2C3D4E5F/roles/"
                                  "6a1f0e5e-3c1b-4f7e-9d2a-0a1b2c3d4e5F");
  ASSERT_EQ(match.kind, RouteMatch::Kind::found);
  EXPECT_EQ(match.params[0].second, "6a1f0e5e-3c1b-4f7e-9d2a-0a1b2c3d4e5f");
  EXPECT_EQ(match.params[1].second, "6a1f0e5e-3c1b-4f7e-9d2a-0a1b2c3d4e5f");
}

TEST(Router, NonUuidParameterIsNotFound) {
  const Router router = sample_router();
  EXPECT_EQ(
      router.match("POST", "/api/v1/users/42/roles/6a1f0e5e-3c1b-4f7e-9d2a-0a1b2c3d4e5f").kind,
      RouteMatch::Kind::not_found);
}

TEST(Router, KnownPathWithOtherMethodIsMethodNotAllowed) {
  const Router router = sample_router();
  const auto match = router.match("DELETE", "/api/v1/roles/");
  EXPECT_EQ(match.kind, RouteMatch::Kind::method_not_allowed);
  EXPECT_EQ(match.allowed_methods, "GET, POST");
}

TEST(Router, UntypedParameterPrefersFirstMatchingMethod) {
  const Router router = sample_router();
  // A UUID-looking name still matches GET /roles/{name}; PATCH goes to the typed route.
  const auto get = router.match("GET", "/api/v1/roles/6a1f0e5e-3c1b-4f7e-9d2a-0a1b2c3d4e5f");
  ASSERT_EQ(get.kind, RouteMatch::Kind::found);
  EXPECT_EQ(get.route->pattern, "/api/v1/roles/{name}");
  const auto patch = router.match("PATCH", "/api/v1/roles/admin");
  EXPECT_EQ(patch.kind, RouteMatch::Kind::method_not_allowed);
}

TEST(Router, HeadIsServedByGet) {
  const Router router = sample_router();
  EXPECT_EQ(router.match("HEAD", "/api/v1/roles/").kind, RouteMatch::Kind::found);
}

TEST(Router, EmptySegmentsDoNotMatchParameters) {
  const Router router = sample_router();
  EXPECT_EQ(router.match("GET", "/api/v1/roles//").kind, RouteMatch::Kind::not_found);
  EXPECT_EQ(router.match("GET", "").kind, RouteMatch::Kind::not_found);
  EXPECT_EQ(router.match("GET", "api/v1/roles/").kind, RouteMatch::Kind::not_found);
}

TEST(Router, RejectsUnknownParameterType) {
  Router router;
  EXPECT_THROW(router.add({"GET", "/x/{id:int}", {}, noop()}), std::invalid_argument);
}

}  // namespace
}  // namespace authsvc::http
