#include "common/bounded_work_pool.hpp"

#include <algorithm>
#include <thread>

namespace authsvc {
namespace {

std::size_t thread_count(std::size_t requested) {
  if (requested != 0) return requested;
  return std::max<std::size_t>(1, std::thread::hardware_concurrency());
}

}  // namespace

BoundedWorkPool::BoundedWorkPool(Options options)
    : threads_(thread_count(options.threads)), queue_limit_(options.queue_limit), pool_(threads_) {}

BoundedWorkPool::~BoundedWorkPool() {
  stop();
}

void BoundedWorkPool::submit(std::unique_ptr<detail::PoolJob> job) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_ && queued_ + running_ < threads_ + queue_limit_) {
      ++queued_;
      // Posted under the lock: once stop() has set stopping_, every admitted job is already in the
      // pool's queue, so its join() waits for all of them.
      boost::asio::post(pool_, [this, owned = std::move(job)] { execute(*owned); });
      return;
    }
    job->fail(stopping_ ? Error(InfraErrc::unavailable, "work pool stopped")
                        : Error(InfraErrc::overloaded, "work pool queue full"));
  }
  job->complete();
}

void BoundedWorkPool::execute(detail::PoolJob& job) {
  bool stopped = false;
  {
    std::lock_guard lock(mutex_);
    --queued_;
    stopped = stopping_;
    if (!stopped) ++running_;
  }
  if (stopped) {
    job.fail(Error(InfraErrc::unavailable, "work pool stopped"));
  } else {
    job.run();
    std::lock_guard lock(mutex_);
    --running_;  // before complete(): a caller that has resumed never sees its own job as running
  }
  job.complete();
}

void BoundedWorkPool::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  // Without a prior pool_.stop(), join() lets the workers drain the queue: waiting jobs see
  // stopping_ and complete with `unavailable` at once, running jobs finish.
  std::call_once(joined_, [this] { pool_.join(); });
}

std::size_t BoundedWorkPool::queued() const {
  std::lock_guard lock(mutex_);
  return queued_;
}

std::size_t BoundedWorkPool::running() const {
  std::lock_guard lock(mutex_);
  return running_;
}

bool BoundedWorkPool::stopping() const {
  std::lock_guard lock(mutex_);
  return stopping_;
}

}  // namespace authsvc
