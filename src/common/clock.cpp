#include "common/clock.hpp"

#include <fmt/format.h>

#include <charconv>

namespace authsvc {

namespace {

std::string format_with_separator(TimePoint time, char separator) {
  using namespace std::chrono;
  const auto micros = duration_cast<microseconds>(time.time_since_epoch()).count();
  const auto day_point = floor<days>(sys_time<microseconds>(microseconds(micros)));
  const year_month_day ymd(day_point);
  const auto since_midnight =
      microseconds(micros) - duration_cast<microseconds>(day_point.time_since_epoch());
  const auto hours = duration_cast<std::chrono::hours>(since_midnight).count();
  const auto minutes = duration_cast<std::chrono::minutes>(since_midnight).count() % 60;
  const auto seconds = duration_cast<std::chrono::seconds>(since_midnight).count() % 60;
  const auto fraction = since_midnight.count() % 1'000'000;
  return fmt::format("{:04}-{:02}-{:02}{}{:02}:{:02}:{:02}.{:06}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     separator, hours, minutes, seconds, fraction);
}

}  // namespace

std::string format_timestamp(TimePoint time) {
  return format_with_separator(time, ' ');
}

std::string format_iso8601(TimePoint time) {
  return format_with_separator(time, 'T');
}

std::optional<TimePoint> parse_timestamp(std::string_view text) {
  using namespace std::chrono;
  auto number = [&text](std::size_t pos, std::size_t len, int& out) {
    if (pos + len > text.size()) return false;
    const auto [ptr, ec] = std::from_chars(text.data() + pos, text.data() + pos + len, out);
    return ec == std::errc() && ptr == text.data() + pos + len;
  };
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (text.size() < 19 || text[4] != '-' || text[7] != '-' ||
      (text[10] != ' ' && text[10] != 'T') || text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  if (!number(0, 4, y) || !number(5, 2, mo) || !number(8, 2, d) || !number(11, 2, h) ||
      !number(14, 2, mi) || !number(17, 2, s)) {
    return std::nullopt;
  }
  long long micros = 0;
  std::size_t pos = 19;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 6) {
        micros = micros * 10 + (text[pos] - '0');
        ++digits;
      }
      ++pos;
    }
    for (; digits < 6; ++digits) micros *= 10;
  }
  const std::string_view zone = text.substr(pos);
  if (!(zone.empty() || zone == "Z" || zone == "+00" || zone == "+00:00")) return std::nullopt;
  const year_month_day ymd{year(y), month(static_cast<unsigned>(mo)),
                           day(static_cast<unsigned>(d))};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 60) return std::nullopt;
  return TimePoint(duration_cast<system_clock::duration>(sys_days(ymd).time_since_epoch() +
                                                         hours(h) + minutes(mi) + seconds(s) +
                                                         microseconds(micros)));
}

}  // namespace authsvc
