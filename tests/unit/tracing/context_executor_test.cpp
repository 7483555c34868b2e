#include "tracing/context_executor.hpp"

#include <gtest/gtest.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/local/connect_pair.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <string>
#include <thread>
#include <vector>

#include "common/bounded_work_pool.hpp"

namespace authsvc::tracing {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

struct Probe {
  const ActiveRequest* expected;
  std::vector<std::string> wrong;
  int checks = 0;
  void check(const char* where) {
    ++checks;
    if (active_request() != expected) wrong.emplace_back(where);
  }
};

// Awaits every kind of thing a request coroutine awaits, checking after each resumption that the
// request it serves is still the current one.
asio::awaitable<void> exercise(Probe& probe, asio::io_context& elsewhere, BoundedWorkPool& pool) {
  auto executor = co_await asio::this_coro::executor;
  for (int round = 0; round < 3; ++round) {
    probe.check("start");
    asio::steady_timer timer(executor, 1ms);
    co_await timer.async_wait(asio::use_awaitable);
    probe.check("timer");
    co_await asio::post(executor, asio::use_awaitable);
    probe.check("post");
    auto remote = []() -> asio::awaitable<int> { co_return 1; };
    auto remote_task = remote();
    co_await asio::co_spawn(elsewhere.get_executor(), std::move(remote_task), asio::use_awaitable);
    probe.check("another io_context");
    auto job = [] { return 1; };
    co_await pool.run(std::move(job));
    probe.check("cpu pool");
    asio::local::stream_protocol::socket a(executor);
    asio::local::stream_protocol::socket b(elsewhere);  // its I/O completes on another thread
    asio::local::connect_pair(a, b);
    std::string sent = "ping";
    co_await asio::async_write(b, asio::buffer(sent), asio::use_awaitable);
    probe.check("write on a socket of another io_context");
    std::string received(4, '\0');
    co_await asio::async_read(a, asio::buffer(received), asio::use_awaitable);
    probe.check("read");
  }
}

TEST(ContextExecutor, EachCoroutineFindsItsOwnRequestAfterEveryResumption) {
  asio::io_context io;
  asio::io_context elsewhere;
  auto guard = asio::make_work_guard(elsewhere);
  std::thread other([&] { elsewhere.run(); });
  BoundedWorkPool pool({.threads = 1, .queue_limit = 16});

  ActiveRequest first_request;
  ActiveRequest second_request;
  RequestSlot first_slot{&first_request};
  RequestSlot second_slot{&second_request};
  Probe first{&first_request, {}};
  Probe second{&second_request, {}};
  Probe untraced{nullptr, {}};

  const asio::any_io_executor plain = io.get_executor();
  using Traced = ContextExecutor<asio::io_context::executor_type>;
  asio::co_spawn(Traced(io.get_executor(), &first_slot), exercise(first, elsewhere, pool),
                 asio::detached);
  asio::co_spawn(Traced(io.get_executor(), &second_slot), exercise(second, elsewhere, pool),
                 asio::detached);
  asio::co_spawn(plain, exercise(untraced, elsewhere, pool), asio::detached);
  io.run();
  pool.stop();
  guard.reset();
  other.join();

  EXPECT_EQ(first.checks, 21);
  EXPECT_EQ(second.checks, 21);
  EXPECT_EQ(untraced.checks, 21);
  EXPECT_TRUE(first.wrong.empty()) << first.wrong.front();
  EXPECT_TRUE(second.wrong.empty()) << second.wrong.front();
  EXPECT_TRUE(untraced.wrong.empty())
      << "a coroutine on a plain executor sees no request: " << untraced.wrong.front();
  EXPECT_EQ(current_slot(), nullptr) << "nothing leaks onto the thread";
}

TEST(ContextExecutor, PointingTheSlotAtAnotherRequestIsSeenAtTheNextResumption) {
  asio::io_context io;
  ActiveRequest one;
  ActiveRequest two;
  auto slot = std::make_shared<RequestSlot>();
  std::vector<const ActiveRequest*> seen;
  auto serve = [&]() -> asio::awaitable<void> {
    for (const ActiveRequest* request : {&one, &two}) {
      slot->active = request;
      co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
      seen.push_back(active_request());
      slot->active = nullptr;
    }
  };
  asio::co_spawn(ContextExecutor<asio::io_context::executor_type>(io.get_executor(), slot.get()),
                 serve(), asio::detached);
  io.run();
  EXPECT_EQ(seen, (std::vector<const ActiveRequest*>{&one, &two}));
}

}  // namespace
}  // namespace authsvc::tracing
