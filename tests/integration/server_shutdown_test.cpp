// Graceful stop of the HTTP server: in-flight requests finish, idle keep-alive connections close,
// new connections are refused.
#include <gtest/gtest.h>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <future>
#include <thread>

#include "http/server.hpp"
#include "support/http_client.hpp"

namespace authsvc::test {
namespace {

namespace asio = boost::asio;

class ServerShutdownTest : public ::testing::Test {
 protected:
  ServerShutdownTest() {
    http::Router router;
    router.add(
        {"GET", "/slow", {}, [](http::RequestContext&) -> asio::awaitable<http::HttpResponse> {
           asio::steady_timer timer(co_await asio::this_coro::executor,
                                    std::chrono::milliseconds(400));
           co_await timer.async_wait(asio::use_awaitable);
           co_return http::HttpResponse::message(200, "slow done");
         }});
    router.add(
        {"GET", "/fast", {}, [](http::RequestContext&) -> asio::awaitable<http::HttpResponse> {
           co_return http::HttpResponse::message(200, "fast");
         }});
    dispatcher_ = std::make_unique<http::Dispatcher>(std::move(router), http::DispatcherOptions{});
    for (auto& io : io_)
      threads_.emplace_back([&io] {
        auto guard = asio::make_work_guard(io);
        io.run();
      });
    server_ = std::make_unique<http::Server>(
        std::vector<asio::any_io_executor>{io_[0].get_executor(), io_[1].get_executor()},
        *dispatcher_, http::ServerOptions{"127.0.0.1", 0});
    server_->start();
  }

  ~ServerShutdownTest() override {
    server_->stop();
    server_->wait_drained(std::chrono::seconds(5));
    for (auto& io : io_) io.stop();
    for (auto& t : threads_) t.join();
  }

  asio::io_context io_[2];
  std::vector<std::thread> threads_;
  std::unique_ptr<http::Dispatcher> dispatcher_;
  std::unique_ptr<http::Server> server_;
};

TEST_F(ServerShutdownTest, InFlightRequestFinishesAndIdleConnectionsClose) {
  const auto port = server_->port();
  HttpClient idle_client(port);
  ASSERT_EQ(idle_client.get("/fast").status, 200U);  // leaves an idle keep-alive connection

  auto in_flight = std::async(std::launch::async, [port] {
    HttpClient client(port);
    return client.get("/slow");
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  server_->stop();

  const auto response = in_flight.get();
  EXPECT_EQ(response.status, 200U);
  EXPECT_EQ(response.json().at("message"), "slow done");
  EXPECT_EQ(response.header("connection"), "close");
  EXPECT_TRUE(server_->wait_drained(std::chrono::seconds(3)));
  EXPECT_EQ(server_->open_connections(), 0U);

  HttpClient late(port);
  EXPECT_THROW(late.get("/fast"), std::exception);
}

}  // namespace
}  // namespace authsvc::test
