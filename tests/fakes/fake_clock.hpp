#pragma once

#include <atomic>
#include <chrono>

#include "common/clock.hpp"

namespace authsvc::test {

// A Clock that tests set and move; safe to read from several threads.
class FakeClock final : public Clock {
 public:
  // 2030-01-01T00:00:00Z unless told otherwise: far from the epoch, on a whole second.
  explicit FakeClock(TimePoint start = TimePoint(std::chrono::seconds(1893456000)))
      : now_(start.time_since_epoch().count()) {}

  TimePoint now() const override { return TimePoint(TimePoint::duration(now_.load())); }
  void set(TimePoint time) { now_.store(time.time_since_epoch().count()); }
  void advance(TimePoint::duration by) { now_.fetch_add(by.count()); }
  // Whole seconds since the epoch (a JWT NumericDate).
  std::int64_t seconds() const {
    return std::chrono::duration_cast<std::chrono::seconds>(now().time_since_epoch()).count();
  }

 private:
  std::atomic<TimePoint::rep> now_;
};

}  // namespace authsvc::test
