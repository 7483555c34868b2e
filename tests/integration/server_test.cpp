// The real server on port 0 (embedded SQLite), exercised over TCP: routing errors, size limits,
// malformed HTTP, keep-alive, request ids and readiness.
#include <gtest/gtest.h>

#include <random>

#include "app/application.hpp"
#include "support/http_client.hpp"
#include "support/services.hpp"
#include "support/test_app.hpp"

namespace authsvc::test {
namespace {

class ServerTest : public ::testing::Test {
 protected:
  TempDir dir_;
  TestApp app_{embedded_test_config(dir_)};
};

TEST_F(ServerTest, HealthzAnswersJson) {
  HttpClient client(app_.port());
  const auto response = client.get("/healthz");
  EXPECT_EQ(response.status, 200U);
  EXPECT_EQ(response.header("content-type"), "application/json");
  EXPECT_EQ(response.body, R"({"status":"ok"})");
  EXPECT_EQ(response.header("x-request-id").size(), 32U);
}

TEST_F(ServerTest, ReadyzChecksTheDatabase) {
  HttpClient client(app_.port());
  const auto response = client.get("/readyz");
  EXPECT_EQ(response.status, 200U);
  EXPECT_EQ(response.json().at("checks").at("database"), "ok");
}

TEST_F(ServerTest, EchoesRequestId) {
  HttpClient client(app_.port());
  const auto response = client.get("/healthz", {{"X-Request-Id", "req-42"}});
  EXPECT_EQ(response.header("x-request-id"), "req-42");
}

TEST_F(ServerTest, UnknownPathAndWrongMethodAreJson) {
  HttpClient client(app_.port());
  const auto missing = client.get("/nope");
  EXPECT_EQ(missing.status, 404U);
  EXPECT_EQ(missing.json().at("message"), "not found");
  const auto wrong = client.request("DELETE", "/healthz");
  EXPECT_EQ(wrong.status, 405U);
  EXPECT_EQ(wrong.header("allow"), "GET");
  EXPECT_EQ(wrong.json().at("message"), "method not allowed");
}

TEST_F(ServerTest, OversizedBodyIs413) {
  HttpClient client(app_.port());
  const auto response = client.request("POST", "/healthz", std::string(70 * 1024, 'x'));
  EXPECT_EQ(response.status, 413U);
  EXPECT_EQ(response.json().at("message"), "request body too large");
}

TEST_F(ServerTest, BodyAtTheLimitIsRead) {
  HttpClient client(app_.port());
  const auto response = client.request("POST", "/healthz", std::string(64 * 1024, 'x'));
  EXPECT_EQ(response.status, 405U);  // read whole, then routed
}

TEST_F(ServerTest, OversizedHeaderIs431) {
  HttpClient client(app_.port());
  const auto response = client.get("/healthz", {{"X-Filler", std::string(9 * 1024, 'a')}});
  EXPECT_EQ(response.status, 431U);
  EXPECT_EQ(response.json().at("message"), "request header fields too large");
}

TEST_F(ServerTest, MalformedRequestLineIs400Json) {
  const std::string answer = send_raw(app_.port(), "GARBAGE\x01 / HTTP/1.1\r\n\r\n");
  EXPECT_NE(answer.find("HTTP/1.1 400"), std::string::npos) << answer;
  EXPECT_NE(answer.find(R"({"message":"malformed HTTP request"})"), std::string::npos);
}

// RFC 9112 §6.3: a body whose length the server cannot know is refused, and the connection
// closed, so nothing the client sent after the header is ever read as a request of its own.
TEST_F(ServerTest, TransferCodingsThatCouldSmuggleARequestAreRefused) {
  const std::string smuggled = "GET /api/v1/auth/hello HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"Transfer-Encoding: gzip\r\n", "HTTP/1.1 400"},
      {"Transfer-Encoding: chunked, gzip\r\n", "HTTP/1.1 400"},
      {"Transfer-Encoding: identity\r\n", "HTTP/1.1 400"},
      {"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", "HTTP/1.1 400"},
      {"Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", "HTTP/1.1 400"},
      {"Transfer-Encoding: gzip, chunked\r\n", "HTTP/1.1 501"},
  };
  for (const auto& [header, status] : cases) {
    const std::string answer =
        send_raw(app_.port(),
                 "POST /api/v1/auth/signup HTTP/1.1\r\nHost: x\r\n" + header + "\r\n" + smuggled);
    EXPECT_EQ(answer.rfind(status, 0), 0U) << header << answer;
    EXPECT_NE(answer.find("Connection: close"), std::string::npos) << header << answer;
    EXPECT_EQ(answer.find("HTTP/1.1", 1), std::string::npos)
        << "the bytes after the header were answered as a request: " << header << answer;
  }
  const std::string chunked =
      send_raw(app_.port(),
               "POST /api/v1/auth/signup HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
               "Transfer-Encoding: Chunked\r\nConnection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
  EXPECT_EQ(chunked.rfind("HTTP/1.1 400", 0), 0U) << chunked;
  EXPECT_NE(chunked.find("Missing data for required field."), std::string::npos)
      << "a plain chunked body is read: " << chunked;
}

TEST_F(ServerTest, EveryAnswerForbidsSniffing) {
  for (const std::string request : {"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                                    "GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                                    "GARBAGE\x01 / HTTP/1.1\r\n\r\n"}) {
    const std::string answer = send_raw(app_.port(), request, 2000);
    EXPECT_NE(answer.find("X-Content-Type-Options: nosniff"), std::string::npos) << answer;
  }
}

TEST_F(ServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  const std::string one = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  std::string pipelined;
  for (int i = 0; i < 5; ++i) pipelined += one;
  const std::string answer = send_raw(app_.port(), pipelined, 500);
  std::size_t count = 0;
  for (std::size_t pos = 0; (pos = answer.find("HTTP/1.1 200", pos)) != std::string::npos; ++pos)
    ++count;
  EXPECT_EQ(count, 5U);
}

TEST_F(ServerTest, ConnectionCloseIsHonoured) {
  const std::string answer =
      send_raw(app_.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 2000);
  EXPECT_NE(answer.find("HTTP/1.1 200"), std::string::npos);
  EXPECT_NE(answer.find("Connection: close"), std::string::npos);
}

TEST_F(ServerTest, HeadHasNoBody) {
  const std::string answer =
      send_raw(app_.port(), "HEAD /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 2000);
  EXPECT_NE(answer.find("Content-Length: 15"), std::string::npos) << answer;
  EXPECT_EQ(answer.find("status"), std::string::npos);
}

// Thousands of broken requests of many shapes: the server never answers a client error with a 5xx,
// never crashes, and still serves afterwards.
TEST_F(ServerTest, SurvivesTenThousandMalformedRequests) {
  std::mt19937 rng(12345);
  const std::vector<std::string> shapes = {
      "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
      "POST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n",
      "GET /healthz HTTP/9.9\r\n\r\n",
      "GET /%00%ff/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
      "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: "
      "application/json\r\nContent-Length: 5\r\n\r\n{\"a\":",
      "\r\n\r\n\r\n",
      "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n",
  };
  int five_hundreds = 0;
  int answered = 0;
  for (int i = 0; i < 10000; ++i) {
    std::string request = shapes[i % shapes.size()];
    if (i % 3 == 0) {
      // Flip a few random bytes to reach parser states the fixed shapes do not.
      for (int flips = 0; flips < 3; ++flips) {
        request[rng() % request.size()] = static_cast<char>(rng() % 256);
      }
    }
    const std::string answer =
        send_raw(app_.port(),
                 request + "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 1000);
    if (!answer.empty()) ++answered;
    if (answer.find("HTTP/1.1 5") != std::string::npos) ++five_hundreds;
  }
  EXPECT_EQ(five_hundreds, 0);
  EXPECT_GT(answered, 5000);
  HttpClient client(app_.port());
  EXPECT_EQ(client.get("/healthz").status, 200U);
}

TEST(ServerProductionMode, ReadyzChecksPostgresAndRedis) {
  AUTH_REQUIRE_POSTGRES(database_url);
  AUTH_REQUIRE_REDIS(redis_url);
  TempDir dir;
  TestApp app(production_test_config(dir, database_url, redis_url));
  HttpClient client(app.port());
  const auto response = client.get("/readyz");
  EXPECT_EQ(response.status, 200U) << response.body;
  EXPECT_EQ(response.json().at("checks").at("database"), "ok");
  EXPECT_EQ(response.json().at("checks").at("redis"), "ok");
}

TEST(ServerProductionMode, ReadyzFailsWhenRedisIsUnreachable) {
  AUTH_REQUIRE_POSTGRES(database_url);
  TempDir dir;
  Config config = production_test_config(dir, database_url, "redis://127.0.0.1:1/0");
  config.redis_timeout = std::chrono::milliseconds(200);
  TestApp app(std::move(config));
  HttpClient client(app.port());
  const auto response = client.get("/readyz");
  EXPECT_EQ(response.status, 503U);
  EXPECT_EQ(response.json().at("checks").at("redis"), "unavailable");
  EXPECT_EQ(response.json().at("checks").at("database"), "ok");
}

}  // namespace
}  // namespace authsvc::test

namespace authsvc::test {
namespace {

// A port already taken is a start-up error with a reason (exit 1 from the CLI), not a crash.
TEST(ServerStart, APortInUseIsAnErrorNotACrash) {
  TempDir dir;
  TestApp first(embedded_test_config(dir));
  TempDir other;
  auto config = embedded_test_config(other);
  config.port = first.port();
  app::Application second(config);
  const auto started = second.start();
  ASSERT_FALSE(started);
  EXPECT_NE(started.error().describe().find("cannot listen"), std::string::npos)
      << started.error().describe();
  second.stop();
}

}  // namespace
}  // namespace authsvc::test
