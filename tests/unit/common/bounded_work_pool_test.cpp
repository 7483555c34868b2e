#include "common/bounded_work_pool.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "support/async.hpp"

namespace authsvc {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

// Spins (briefly sleeping) until `condition` holds; fails the test after 10 s.
template <class Condition>
bool eventually(Condition condition) {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

// An io_context run by its own thread, like one of the server's I/O threads.
class IoThread {
 public:
  IoThread() : guard_(asio::make_work_guard(io_)), thread_([this] { io_.run(); }) {}
  ~IoThread() { stop(); }
  void stop() {
    guard_.reset();
    if (thread_.joinable()) thread_.join();
  }
  asio::io_context& io() { return io_; }
  std::thread::id id() const { return thread_.get_id(); }

 private:
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> guard_;
  std::thread thread_;
};

// A job that blocks its worker until released. Opens itself when destroyed, so a failing test
// cannot hang in the pool's destructor (declare it after the pool).
struct Gate {
  std::promise<void> promise;
  std::shared_future<void> future = promise.get_future().share();
  bool opened = false;
  void open() {
    if (!opened) promise.set_value();
    opened = true;
  }
  ~Gate() { open(); }
};

// co_spawn needs a default-constructible value: carry it in an optional, whatever T is.
template <class T>
asio::awaitable<std::optional<T>> optional_of(asio::awaitable<T> task) {
  co_return co_await std::move(task);
}
template <class T>
std::future<std::optional<T>> spawn(asio::io_context& io, asio::awaitable<T> task) {
  return asio::co_spawn(io, optional_of(std::move(task)), asio::use_future);
}
// The value of a spawned run() that must complete without waiting for a blocked worker.
template <class T>
std::optional<T> within(std::future<std::optional<T>> future) {
  if (future.wait_for(10s) != std::future_status::ready) return std::nullopt;
  return future.get();
}
template <class T>
T run_here(asio::io_context& io, asio::awaitable<T> task) {
  return std::move(*test::run_sync(io, optional_of(std::move(task))));
}

TEST(BoundedWorkPool, RunsOnAWorkerAndResumesOnTheCallersExecutor) {
  asio::io_context io;
  BoundedWorkPool pool({.threads = 2, .queue_limit = 8});
  const auto caller = std::this_thread::get_id();

  struct Seen {
    std::thread::id worker;
    std::thread::id resumed;
    bool resumed_inside_io = false;
    int value = 0;
  };
  auto seen = test::run_sync(io, [&]() -> asio::awaitable<Seen> {
    Seen s;
    auto result = co_await pool.run([&s] {
      s.worker = std::this_thread::get_id();
      return 42;
    });
    s.resumed = std::this_thread::get_id();
    s.resumed_inside_io = io.get_executor().running_in_this_thread();
    s.value = result.ok() ? *result : -1;
    co_return s;
  }());

  EXPECT_EQ(seen.value, 42);
  EXPECT_NE(seen.worker, caller);
  EXPECT_EQ(seen.resumed, caller);
  EXPECT_TRUE(seen.resumed_inside_io);
  EXPECT_EQ(pool.running(), 0U);
  EXPECT_EQ(pool.queued(), 0U);
}

TEST(BoundedWorkPool, ResumesOnTheCallersIoThreadNotTheWorker) {
  IoThread io_thread;
  BoundedWorkPool pool({.threads = 1, .queue_limit = 8});
  auto future = asio::co_spawn(
      io_thread.io(),
      [&]() -> asio::awaitable<std::pair<std::thread::id, std::thread::id>> {
        auto worker = co_await pool.run([] { return std::this_thread::get_id(); });
        co_return std::pair{worker.value(), std::this_thread::get_id()};
      },
      asio::use_future);
  const auto [worker, resumed] = future.get();
  EXPECT_EQ(resumed, io_thread.id());
  EXPECT_NE(worker, io_thread.id());
}

TEST(BoundedWorkPool, MapsVoidResultsAndExceptions) {
  asio::io_context io;
  BoundedWorkPool pool({.threads = 1, .queue_limit = 8});
  std::atomic<int> calls{0};

  auto done = run_here(io, pool.run([&calls] { ++calls; }));
  EXPECT_TRUE(done.ok());
  EXPECT_EQ(calls.load(), 1);

  auto failed = run_here(io, pool.run([]() -> int { throw std::runtime_error("boom"); }));
  ASSERT_FALSE(failed.ok());
  EXPECT_TRUE(failed.error().is(InfraErrc::internal));
  EXPECT_EQ(failed.error().detail, "boom");

  // A function returning Result<T> is flattened, and its own error comes through unchanged.
  auto flat = run_here(io, pool.run([]() -> Result<std::string> { return std::string("ok"); }));
  static_assert(std::is_same_v<decltype(flat), Result<std::string>>);
  ASSERT_TRUE(flat.ok());
  EXPECT_EQ(*flat, "ok");
  auto flat_error = run_here(io, pool.run([]() -> Result<int> { return InfraErrc::timeout; }));
  ASSERT_FALSE(flat_error.ok());
  EXPECT_TRUE(flat_error.error().is(InfraErrc::timeout));

  // The pool keeps working after a job threw.
  auto after = run_here(io, pool.run([] { return 7; }));
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(*after, 7);
}

// Coroutines with no captures, taking what they need as parameters (see the GCC 12 note on run()).
asio::awaitable<long> uses_after_named_job(BoundedWorkPool& pool, std::shared_ptr<int> token) {
  auto job = [held = token] { return *held; };
  auto result = co_await pool.run(std::move(job));
  co_return result.ok() && *result == 1 ? token.use_count() : -1;
}

asio::awaitable<long> uses_after_job_with_arguments(BoundedWorkPool& pool,
                                                    std::shared_ptr<int> token) {
  auto result =
      co_await pool.run([](std::shared_ptr<int> held, int add) { return *held + add; }, token, 41);
  co_return result.ok() && *result == 42 ? token.use_count() : -1;
}

TEST(BoundedWorkPool, ReleasesTheFunctionAndArgumentsBeforeTheCallerResumes) {
  asio::io_context io;
  BoundedWorkPool pool({.threads = 1, .queue_limit = 8});
  auto token = std::make_shared<int>(1);
  // Only the test's and the coroutine parameter's copies remain: the worker's are gone when the
  // caller resumes.
  EXPECT_EQ(test::run_sync(io, uses_after_named_job(pool, token)), 2);
  EXPECT_EQ(test::run_sync(io, uses_after_job_with_arguments(pool, token)), 2);
  EXPECT_EQ(token.use_count(), 1);
}

TEST(BoundedWorkPool, RefusesWithOverloadedOnceTheQueueIsFull) {
  IoThread io_thread;
  BoundedWorkPool pool({.threads = 1, .queue_limit = 2});
  Gate gate;
  std::atomic<int> started{0};

  auto submit = [&](int value) {
    return spawn(io_thread.io(), pool.run([&started, future = gate.future, value] {
      ++started;
      future.wait();
      return value;
    }));
  };

  auto first = submit(1);
  ASSERT_TRUE(eventually([&] { return pool.running() == 1; }));
  auto second = submit(2);
  auto third = submit(3);
  ASSERT_TRUE(eventually([&] { return pool.queued() == 2; }));
  EXPECT_EQ(pool.running(), 1U);

  // The worker is still blocked, so this answer can only have come without waiting for it.
  auto refused = within(submit(4));
  ASSERT_TRUE(refused.has_value()) << "run() waited for the busy worker instead of refusing";
  ASSERT_FALSE(refused->ok());
  EXPECT_TRUE(refused->error().is(InfraErrc::overloaded));
  EXPECT_EQ(pool.queued(), 2U);
  EXPECT_EQ(pool.running(), 1U);

  gate.open();
  EXPECT_EQ(first.get()->value(), 1);
  EXPECT_EQ(second.get()->value(), 2);
  EXPECT_EQ(third.get()->value(), 3);
  EXPECT_EQ(started.load(), 3);  // the refused function never ran
  EXPECT_EQ(pool.running(), 0U);
  EXPECT_EQ(pool.queued(), 0U);

  // Room again once the queue has drained.
  auto again = *spawn(io_thread.io(), pool.run([] { return 5; })).get();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 5);
}

TEST(BoundedWorkPool, IdleWorkersAcceptJobsEvenWithAZeroQueueLimit) {
  IoThread io_thread;
  BoundedWorkPool pool({.threads = 2, .queue_limit = 0});
  Gate gate;
  auto blocked = [&] {
    return spawn(io_thread.io(), pool.run([future = gate.future] {
      future.wait();
      return 1;
    }));
  };
  auto a = blocked();
  auto b = blocked();
  ASSERT_TRUE(eventually([&] { return pool.running() == 2; }));
  auto refused = within(spawn(io_thread.io(), pool.run([] { return 3; })));
  ASSERT_TRUE(refused.has_value()) << "run() waited for a busy worker instead of refusing";
  ASSERT_FALSE(refused->ok());
  EXPECT_TRUE(refused->error().is(InfraErrc::overloaded));
  gate.open();
  EXPECT_TRUE(a.get()->ok());
  EXPECT_TRUE(b.get()->ok());
}

TEST(BoundedWorkPool, StopCompletesWaitingJobsWithUnavailableAndFinishesRunningOnes) {
  IoThread io_thread;
  BoundedWorkPool pool({.threads = 1, .queue_limit = 8});
  Gate gate;
  std::atomic<int> ran{0};

  std::vector<std::future<std::optional<Result<int>>>> results;
  for (int i = 0; i < 4; ++i) {
    results.push_back(spawn(io_thread.io(), pool.run([&ran, future = gate.future, i] {
      ++ran;
      future.wait();
      return i;
    })));
    if (i == 0) {
      ASSERT_TRUE(eventually([&] { return pool.running() == 1; }));
    }
  }
  ASSERT_TRUE(eventually([&] { return pool.queued() == 3; }));

  std::thread stopper([&] { pool.stop(); });
  EXPECT_TRUE(eventually([&] { return pool.stopping(); }));
  gate.open();
  stopper.join();

  EXPECT_EQ(results[0].get()->value(), 0);  // the running job finished normally
  for (std::size_t i = 1; i < results.size(); ++i) {
    auto result = *results[i].get();
    ASSERT_FALSE(result.ok());
    EXPECT_TRUE(result.error().is(InfraErrc::unavailable));
  }
  EXPECT_EQ(ran.load(), 1);  // waiting jobs were not run
  EXPECT_EQ(pool.queued(), 0U);
  EXPECT_EQ(pool.running(), 0U);

  auto late = *spawn(io_thread.io(), pool.run([] { return 1; })).get();
  ASSERT_FALSE(late.ok());
  EXPECT_TRUE(late.error().is(InfraErrc::unavailable));
  pool.stop();  // idempotent
}

TEST(BoundedWorkPool, CompletionsLeftInAStoppedIoContextAreFreedWithIt) {
  // Shutdown order of the server: I/O threads stop first, then the pool; the suspended coroutines
  // and the completions posted to them are destroyed with their io_context (ASan reports any leak).
  std::atomic<int> ran{0};
  {
    auto io = std::make_unique<IoThread>();
    BoundedWorkPool pool({.threads = 1, .queue_limit = 8});
    Gate gate;
    for (int i = 0; i < 3; ++i) {
      asio::co_spawn(io->io(), optional_of(pool.run([&ran, future = gate.future] {
                       ++ran;
                       future.wait();
                       return std::string(64, 'x');  // heap-allocated result, so a leak would show
                     })),
                     asio::detached);
    }
    ASSERT_TRUE(eventually([&] { return pool.running() == 1 && pool.queued() == 2; }));
    io->io().stop();
    io->stop();
    std::thread stopper([&] { pool.stop(); });
    EXPECT_TRUE(eventually([&] { return pool.stopping(); }));
    gate.open();
    stopper.join();
    io.reset();
  }
  EXPECT_EQ(ran.load(), 1);
}

TEST(BoundedWorkPool, DestructorJoinsAnIdlePool) {
  asio::io_context io;
  auto pool =
      std::make_unique<BoundedWorkPool>(BoundedWorkPool::Options{.threads = 3, .queue_limit = 1});
  EXPECT_EQ(pool->threads(), 3U);
  EXPECT_EQ(pool->queue_limit(), 1U);
  auto result = run_here(io, pool->run([] { return 1; }));
  EXPECT_TRUE(result.ok());
  pool.reset();
  SUCCEED();
}

TEST(BoundedWorkPool, ZeroThreadsMeansOnePerCore) {
  BoundedWorkPool pool({.threads = 0, .queue_limit = 1});
  EXPECT_GE(pool.threads(), 1U);
  EXPECT_EQ(pool.threads(), std::max<std::size_t>(1, std::thread::hardware_concurrency()));
}

}  // namespace
}  // namespace authsvc
