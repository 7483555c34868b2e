#include "http/dispatcher.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <stdexcept>

#include "support/async.hpp"

namespace authsvc::http {
namespace {

HttpRequest make_request(std::string method, std::string path, HeaderList headers = {}) {
  HttpRequest request;
  request.method = std::move(method);
  request.path = path;
  request.target = std::move(path);
  request.headers = std::move(headers);
  return request;
}

Dispatcher make_dispatcher(bool require_request_id = false) {
  Router router;
  router.add({"GET", "/ok", {}, [](RequestContext& ctx) -> boost::asio::awaitable<HttpResponse> {
                co_return HttpResponse::message(200, std::string(ctx.route));
              }});
  router.add({"GET", "/boom", {}, [](RequestContext&) -> boost::asio::awaitable<HttpResponse> {
                throw std::runtime_error("secret detail");
                co_return HttpResponse::empty(200);
              }});
  return Dispatcher(std::move(router), DispatcherOptions{require_request_id, {}});
}

HttpResponse dispatch(const Dispatcher& dispatcher, const HttpRequest& request) {
  boost::asio::io_context io;
  return test::run_sync(io, dispatcher.dispatch(request));
}

TEST(Dispatcher, EchoesIncomingRequestId) {
  const auto dispatcher = make_dispatcher();
  const auto response =
      dispatch(dispatcher, make_request("GET", "/ok", {{"x-request-id", "abc-123"}}));
  EXPECT_EQ(response.status, 200U);
  EXPECT_EQ(response.header("X-Request-Id"), "abc-123");
}

TEST(Dispatcher, GeneratesRequestIdWhenMissing) {
  const auto dispatcher = make_dispatcher();
  const auto first = dispatch(dispatcher, make_request("GET", "/ok"));
  const auto second = dispatch(dispatcher, make_request("GET", "/ok"));
  ASSERT_TRUE(first.header("X-Request-Id"));
  EXPECT_EQ(first.header("X-Request-Id")->size(), 32U);
  EXPECT_NE(*first.header("X-Request-Id"), *second.header("X-Request-Id"));
}

TEST(Dispatcher, RequiresRequestIdWhenConfigured) {
  const auto dispatcher = make_dispatcher(true);
  const auto missing = dispatch(dispatcher, make_request("GET", "/ok"));
  EXPECT_EQ(missing.status, 400U);
  EXPECT_EQ(missing.body, R"({"message":"request id is required"})");
  const auto empty = dispatch(dispatcher, make_request("GET", "/ok", {{"x-request-id", ""}}));
  EXPECT_EQ(empty.status, 400U);
  const auto present = dispatch(dispatcher, make_request("GET", "/ok", {{"x-request-id", "r1"}}));
  EXPECT_EQ(present.status, 200U);
}

TEST(Dispatcher, ReplacesUnsafeRequestId) {
  const auto dispatcher = make_dispatcher();
  const auto response =
      dispatch(dispatcher, make_request("GET", "/ok", {{"x-request-id", "a b\r\nX-Evil: 1"}}));
  ASSERT_TRUE(response.header("X-Request-Id"));
  EXPECT_EQ(response.header("X-Request-Id")->find(' '), std::string_view::npos);
}

TEST(Dispatcher, UnknownPathIsJson404) {
  const auto dispatcher = make_dispatcher();
  const auto response = dispatch(dispatcher, make_request("GET", "/nope"));
  EXPECT_EQ(response.status, 404U);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(response.body, R"({"message":"not found"})");
}

TEST(Dispatcher, WrongMethodIsJson405WithAllow) {
  const auto dispatcher = make_dispatcher();
  const auto response = dispatch(dispatcher, make_request("POST", "/ok"));
  EXPECT_EQ(response.status, 405U);
  EXPECT_EQ(response.header("Allow"), "GET");
  EXPECT_EQ(response.body, R"({"message":"method not allowed"})");
}

TEST(Dispatcher, ExceptionBecomesGeneric500WithoutDetail) {
  const auto dispatcher = make_dispatcher();
  const auto response = dispatch(dispatcher, make_request("GET", "/boom"));
  EXPECT_EQ(response.status, 500U);
  EXPECT_EQ(response.body.find("secret"), std::string::npos);
}

TEST(Dispatcher, MiddlewareRunsInOrderAndSeesRoute) {
  Router router;
  router.add({"GET",
              "/items/{id:uuid}",
              {},
              [](RequestContext& ctx) -> boost::asio::awaitable<HttpResponse> {
                co_return HttpResponse::message(200, ctx.param("id"));
              }});
  Dispatcher dispatcher(std::move(router), {});
  std::string trail;
  dispatcher.use([&trail](RequestContext& ctx, const Route& route,
                          Next next) -> boost::asio::awaitable<HttpResponse> {
    trail += "a:" + route.pattern + ";";
    auto response = co_await next(ctx);
    trail += "a-after;";
    co_return response;
  });
  dispatcher.use([&trail](RequestContext& ctx, const Route&,
                          Next next) -> boost::asio::awaitable<HttpResponse> {
    trail += "b;";
    co_return co_await next(ctx);
  });
  const auto response =
      dispatch(dispatcher, make_request("GET", "/items/6a1f0e5e-3c1b-4f7e-9d2a-0a1b2c3d4e5f"));
  EXPECT_EQ(response.body, R"({"message":"6a1f0e5e-3c1b-4f7e-9d2a-0a1b2c3d4e5f"})");
  EXPECT_EQ(trail, "a:/items/{id:uuid};b;a-after;");
}

}  // namespace
}  // namespace authsvc::http
