#include "common/clock.hpp"

#include <gtest/gtest.h>

namespace authsvc {
namespace {

using namespace std::chrono;

TEST(Timestamp, FormatsIsoUtcWithMicroseconds) {
  const TimePoint t =
      sys_days(year(2026) / 11 / 24) + hours(20) + minutes(7) + seconds(3) + microseconds(45);
  EXPECT_EQ(format_timestamp(t), "2026-11-24 20:07:03.000045");
  EXPECT_EQ(format_iso8601(t), "2026-11-24T20:07:03.000045");
}

TEST(Timestamp, ParsesBothBackendsForms) {
  const TimePoint expected =
      sys_days(year(2026) / 1 / 2) + hours(3) + minutes(4) + seconds(5) + microseconds(600000);
  EXPECT_EQ(parse_timestamp("2026-01-02 03:04:05.6"), expected);
  EXPECT_EQ(parse_timestamp("2026-01-02T03:04:05.600000"), expected);
  EXPECT_EQ(parse_timestamp("2026-01-02T03:04:05.600000Z"), expected);
  EXPECT_EQ(parse_timestamp("2026-01-02 03:04:05.6+00"), expected);
  EXPECT_EQ(parse_timestamp("2026-01-02 03:04:05"), expected - microseconds(600000));
}

TEST(Timestamp, RoundTrips) {
  const TimePoint now = time_point_cast<microseconds>(system_clock::now());
  EXPECT_EQ(parse_timestamp(format_timestamp(now)), now);
  EXPECT_EQ(parse_timestamp(format_iso8601(now)), now);
}

TEST(Timestamp, RejectsGarbage) {
  EXPECT_FALSE(parse_timestamp(""));
  EXPECT_FALSE(parse_timestamp("2026-13-01 00:00:00"));
  EXPECT_FALSE(parse_timestamp("2026-02-30T00:00:00"));
  EXPECT_FALSE(parse_timestamp("2026-01-01T00:00:00+03:00"));
  EXPECT_FALSE(parse_timestamp("yesterday at noon!!"));
}

}  // namespace
}  // namespace authsvc
