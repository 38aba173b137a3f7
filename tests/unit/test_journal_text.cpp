#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "text/utc_time_text.hpp"
#include "text/utf8_text.hpp"

using prm_mock::format_utc_rfc3339_ms;
using prm_mock::parse_rfc3339;
using prm_mock::utf8_prefix;
using prm_mock::valid_utf8;
using std::chrono::milliseconds;
using TimePoint = std::chrono::system_clock::time_point;

TEST_CASE("journal time text: UTC with milliseconds, cut not rounded") {
  CHECK(format_utc_rfc3339_ms(TimePoint{}) == "1970-01-01T00:00:00.000Z");
  CHECK(format_utc_rfc3339_ms(TimePoint{milliseconds(1'700'000'000'999)} +
                              std::chrono::microseconds(999)) == "2023-11-14T22:13:20.999Z");
  CHECK(format_utc_rfc3339_ms(TimePoint{milliseconds(951'782'400'000)}) ==
        "2000-02-29T00:00:00.000Z");
}

TEST_CASE("journal time text: parses what it writes, any offset, and rejects the rest") {
  const TimePoint time{milliseconds(1'700'000'000'123)};
  CHECK(parse_rfc3339(format_utc_rfc3339_ms(time)) == time);
  CHECK(parse_rfc3339("2023-11-14T23:13:20.123+01:00") == time);
  CHECK(parse_rfc3339("2023-11-14t22:13:20.123z") == time);
  CHECK(parse_rfc3339("2023-11-14T22:13:20Z") == TimePoint{milliseconds(1'700'000'000'000)});
  CHECK(parse_rfc3339("2023-11-14T22:13:20.1234567891Z") ==
        TimePoint{std::chrono::nanoseconds(1'700'000'000'123'456'789)});
  for (const char* bad : {"", "req-1", "2023-11-14", "2023-11-14T22:13:20", "2023-13-01T00:00:00Z",
                          "2023-02-29T00:00:00Z", "2023-11-14T24:00:00Z", "2023-11-14T22:13:20.Z",
                          "2023-11-14T22:13:20+0100", "2023-11-14T22:13:20Zjunk"}) {
    CHECK_MESSAGE(!parse_rfc3339(bad), bad);
  }
}

TEST_CASE("journal utf8: valid text unchanged, each bad byte replaced, cuts on boundaries") {
  CHECK(valid_utf8("plain \xC3\xA9 \xF0\x9F\x98\x80") == "plain \xC3\xA9 \xF0\x9F\x98\x80");
  CHECK(valid_utf8("a\xFF"
                   "b") ==
        "a\xEF\xBF\xBD"
        "b");
  CHECK(valid_utf8("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  CHECK(valid_utf8("\xE2\x82") == "\xEF\xBF\xBD\xEF\xBF\xBD");                  // cut short
  // is_valid_utf8 says whether valid_utf8 would change anything.
  for (const std::string_view text :
       {std::string_view("plain \xC3\xA9 \xF0\x9F\x98\x80"),
        std::string_view("a\xFF"
                         "b"),
        std::string_view("\xED\xA0\x80"), std::string_view("\xE2\x82"),
        std::string_view("\xC0\xAF"), std::string_view("nul\0inside", 11), std::string_view("")}) {
    CAPTURE(text);
    CHECK(prm_mock::is_valid_utf8(text) == (valid_utf8(text) == text));
  }
  CHECK(prm_mock::is_valid_utf8("plain \xC3\xA9"));
  CHECK_FALSE(prm_mock::is_valid_utf8("\xC0\xAF"));  // overlong '/'
  CHECK(utf8_prefix("ab\xF0\x9F\x98\x80", 5) == "ab");
  CHECK(utf8_prefix("ab\xF0\x9F\x98\x80", 6) == "ab\xF0\x9F\x98\x80");
  CHECK(utf8_prefix("abc", 2) == "ab");
}
