#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace authsvc {

using TimePoint = std::chrono::system_clock::time_point;

// Injected wherever time decides an outcome, so tests move time instead of sleeping.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint now() const override { return std::chrono::system_clock::now(); }
};

// The stored form of a UTC instant, as PostgreSQL prints its `timestamp` columns (and SQLite keeps
// it): 2026-11-24 20:27:48.123456. One form in both backends keeps text ordering chronological.
std::string format_timestamp(TimePoint time);
// ISO-8601 UTC for API answers (SPEC R6): 2026-11-24T20:27:48.123456.
std::string format_iso8601(TimePoint time);
// Accepts the stored forms of both backends ("2026-11-24 20:27:48.123456", with 'T', optional
// fraction, optional trailing 'Z' or "+00"/"+00:00").
std::optional<TimePoint> parse_timestamp(std::string_view text);

}  // namespace authsvc
