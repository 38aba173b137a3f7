#include <doctest/doctest.h>

#include "http/event_stream_limits.hpp"

using prm_mock::event_stream::kAllReadersPerSecond;
using prm_mock::event_stream::kBurst;
using prm_mock::event_stream::kPerSecond;
using prm_mock::event_stream::reader_allowance;

TEST_CASE("event streams: a reader alone gets the whole per-reader allowance") {
  const auto alone = reader_allowance(1);
  CHECK(alone.per_second == kPerSecond);
  CHECK(alone.burst == kBurst);
  CHECK(reader_allowance(0).per_second == kPerSecond);  // never a division by zero
}

TEST_CASE("event streams: many readers share one budget, so their cost does not grow with them") {
  for (const std::size_t readers : {10u, 100u, 1000u}) {
    const auto allowance = reader_allowance(readers);
    CHECK(allowance.per_second * static_cast<double>(readers) <= kAllReadersPerSecond);
    CHECK(allowance.burst <= 5 * allowance.per_second);
    CHECK(allowance.per_second > 0);
  }
  CHECK(reader_allowance(100).per_second == doctest::Approx(20));
  CHECK(reader_allowance(100).burst == doctest::Approx(100));
}
