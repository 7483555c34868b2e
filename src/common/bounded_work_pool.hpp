#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <type_traits>
#include <utility>

#include "common/error.hpp"
#include "common/result.hpp"

namespace authsvc {

namespace detail {

// What BoundedWorkPool::run yields for a function returning R: void -> Result<void>, Result<X> ->
// Result<X> (flattened), anything else -> Result<R>.
template <class R>
struct PoolValue {
  using type = R;
};
template <class X>
struct PoolValue<Result<X>> {
  using type = X;
};
template <class R>
using PoolValueT = typename PoolValue<std::remove_cvref_t<R>>::type;

// One admitted job, type-erased so the pool's bookkeeping lives in the .cpp file.
class PoolJob {
 public:
  PoolJob() = default;
  PoolJob(const PoolJob&) = delete;
  PoolJob& operator=(const PoolJob&) = delete;
  virtual ~PoolJob() = default;

  virtual void run() noexcept = 0;  // on a worker: call the function and keep its result
  virtual void fail(Error error) noexcept = 0;  // instead of run(): keep an error
  virtual void complete() = 0;  // hand the kept result to the awaiting coroutine's executor
};

}  // namespace detail

// A fixed set of worker threads for CPU-heavy work (Argon2id, RSA signing), so that I/O threads
// never run it.
//
// Admission: at most `threads + queue_limit` jobs are in the pool at once, i.e. once every worker
// is busy at most `queue_limit` jobs wait. Beyond that run() answers InfraErrc::overloaded at once
// (the HTTP layer maps it to 503 with Retry-After) and the function is never called.
//
// The awaiting coroutine always resumes on its own executor, never on a worker. An exception thrown
// by the function becomes InfraErrc::internal (its what() is the error's detail, for the logs).
//
// stop() (also run by the destructor) refuses new jobs with InfraErrc::unavailable, lets the
// running jobs finish, completes the jobs still waiting with InfraErrc::unavailable without running
// them, and joins the workers. Lifetime: the pool must outlive every run() it admitted (stop()
// waits for them). Stop or destroy the pool before the io_contexts of the coroutines that used it:
// a worker posts each completion to the caller's io_context, and Asio forbids destroying an
// io_context while another thread may still be posting to it.
class BoundedWorkPool {
 public:
  struct Options {
    std::size_t threads = 0;         // 0: one per hardware thread (at least 1)
    std::size_t queue_limit = 1024;  // jobs that may wait while every worker is busy
  };

  explicit BoundedWorkPool(Options options);
  BoundedWorkPool(const BoundedWorkPool&) = delete;
  BoundedWorkPool& operator=(const BoundedWorkPool&) = delete;
  ~BoundedWorkPool();

  // Runs `fn()` on a worker and resumes the caller on its own executor with the result (see
  // PoolValue). `fn` is moved into the pool and destroyed before the caller resumes; capture by
  // value what it needs.
  //
  // GCC 12 bug: inside a coroutine, a lambda temporary with captures written in the co_await
  // expression itself is destroyed twice (double free). Never write `co_await pool.run([s =
  // std::move(s)] {...})` in a coroutine; name the lambda first (`auto job = [...] {...}; co_await
  // pool.run(std::move(job));`), or pass a capture-less function plus arguments to the overload
  // below, or build the call in a plain function (see PasswordHasher).
  template <class F>
  requires std::is_invocable_v<F&>
      boost::asio::awaitable<Result<detail::PoolValueT<std::invoke_result_t<F&>>>> run(F fn);

  // Runs `fn(std::move(args)...)` on a worker; the arguments are moved into the pool.
  template <class F, class... Args>
  requires(sizeof...(Args) > 0 && std::is_invocable_v<F&&, Args&&...>)
      boost::asio::awaitable<Result<detail::PoolValueT<std::invoke_result_t<F&&, Args&&...>>>> run(
          F fn, Args... args) {
    return run([fn = std::move(fn), ... args = std::move(args)]() mutable {
      return std::invoke(std::move(fn), std::move(args)...);
    });
  }

  // Idempotent. Blocks until every admitted job has completed. Never call it from a worker.
  void stop();

  std::size_t queued() const;   // admitted jobs that no worker has started yet
  std::size_t running() const;  // jobs a worker is running now
  bool stopping() const;        // stop() has begun: run() answers unavailable
  std::size_t threads() const noexcept { return threads_; }
  std::size_t queue_limit() const noexcept { return queue_limit_; }

 private:
  template <class F, class Handler>
  class Job;

  // Admits the job (posting it to a worker) or completes it at once with overloaded/unavailable.
  void submit(std::unique_ptr<detail::PoolJob> job);
  void execute(detail::PoolJob& job);

  const std::size_t threads_;
  const std::size_t queue_limit_;
  mutable std::mutex mutex_;
  std::size_t queued_ = 0;   // guarded by mutex_
  std::size_t running_ = 0;  // guarded by mutex_
  bool stopping_ = false;    // guarded by mutex_
  std::once_flag joined_;
  boost::asio::thread_pool pool_;
};

template <class F, class Handler>
class BoundedWorkPool::Job final : public detail::PoolJob {
 public:
  using Raw = std::invoke_result_t<F&>;
  using Value = detail::PoolValueT<Raw>;

  Job(F fn, Handler handler)
      : fn_(std::move(fn)),
        handler_(std::move(handler)),
        // Keeps the caller's io_context running while the job is away on a worker.
        work_(boost::asio::prefer(boost::asio::get_associated_executor(handler_),
                                  boost::asio::execution::outstanding_work.tracked)) {}

  void run() noexcept override {
    try {
      if constexpr (std::is_void_v<Raw>) {
        std::invoke(*fn_);
        result_.emplace();
      } else {
        result_.emplace(std::invoke(*fn_));
      }
    } catch (const std::exception& e) {
      result_.emplace(Error(InfraErrc::internal, e.what()));
    } catch (...) {
      result_.emplace(Error(InfraErrc::internal, "unknown exception in a pool job"));
    }
    fn_.reset();  // the function (and whatever it captured) is gone before the caller resumes
  }

  void fail(Error error) noexcept override {
    fn_.reset();
    result_.emplace(std::move(error));
  }

  // Everything that refers to the caller's executor moves into the posted completion, so once it is
  // posted the worker no longer touches the caller's io_context (which may be destroyed as soon as
  // the caller has resumed).
  void complete() override {
    auto executor = boost::asio::get_associated_executor(handler_);
    boost::asio::post(
        executor, [handler = std::move(handler_), result = std::move(*result_),
                   work = std::move(work_)]() mutable { std::move(handler)(std::move(result)); });
  }

 private:
  std::optional<F> fn_;
  Handler handler_;
  std::decay_t<decltype(boost::asio::prefer(
      std::declval<boost::asio::associated_executor_t<Handler>>(),
      boost::asio::execution::outstanding_work.tracked))>
      work_;
  std::optional<Result<Value>> result_;
};

template <class F>
requires std::is_invocable_v<F&>
    boost::asio::awaitable<Result<detail::PoolValueT<std::invoke_result_t<F&>>>>
    BoundedWorkPool::run(F fn) {
  using Value = detail::PoolValueT<std::invoke_result_t<F&>>;
  return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&, void(Result<Value>)>(
      [this](auto handler, F f) {
        using Handler = decltype(handler);
        submit(std::make_unique<Job<F, Handler>>(std::move(f), std::move(handler)));
      },
      boost::asio::use_awaitable, std::move(fn));
}

}  // namespace authsvc
