#include "text/utc_time_text.hpp"

#include <cstdio>

namespace prm_mock {
namespace {

using std::chrono::system_clock;

// Reads exactly `count` decimal digits at text[at], advancing `at`.
std::optional<int> digits(std::string_view text, std::size_t& at, std::size_t count) {
  if (at + count > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = 0; i < count; ++i, ++at) {
    if (text[at] < '0' || text[at] > '9') return std::nullopt;
    value = value * 10 + (text[at] - '0');
  }
  return value;
}

bool expect(std::string_view text, std::size_t& at, std::string_view one_of) {
  if (at >= text.size() || one_of.find(text[at]) == std::string_view::npos) return false;
  ++at;
  return true;
}

// The fraction of a second after the '.', to nanoseconds; digits past the ninth are ignored.
std::optional<std::chrono::nanoseconds> fraction(std::string_view text, std::size_t& at) {
  std::int64_t nanos = 0;
  std::int64_t scale = 100'000'000;
  const std::size_t first = at;
  for (; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at, scale /= 10) {
    nanos += (text[at] - '0') * scale;
  }
  if (at == first) return std::nullopt;
  return std::chrono::nanoseconds(nanos);
}

// Writes `value` as exactly `count` decimal digits at `at`, zero-padded.
void put_digits(char* at, unsigned value, int count) {
  for (int i = count - 1; i >= 0; --i, value /= 10) at[i] = static_cast<char>('0' + value % 10);
}

}  // namespace

std::string format_utc_rfc3339_ms(system_clock::time_point time) {
  using namespace std::chrono;
  const auto in_ms = floor<milliseconds>(time);
  const auto day = floor<days>(in_ms);
  const year_month_day date{day};
  const hh_mm_ss clock{in_ms - day};
  const int year = int(date.year());
  if (year < 0 || year > 9999) {
    char text[48];
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", year,
                  unsigned(date.month()), unsigned(date.day()), int(clock.hours().count()),
                  int(clock.minutes().count()), int(clock.seconds().count()),
                  int(clock.subseconds().count()));
    return text;
  }
  // Every request is stamped (journal, log, templates): digits written in place cost a tenth of
  // snprintf's format parsing.
  std::string text = "0000-00-00T00:00:00.000Z";
  put_digits(&text[0], unsigned(year), 4);
  put_digits(&text[5], unsigned(date.month()), 2);
  put_digits(&text[8], unsigned(date.day()), 2);
  put_digits(&text[11], unsigned(clock.hours().count()), 2);
  put_digits(&text[14], unsigned(clock.minutes().count()), 2);
  put_digits(&text[17], unsigned(clock.seconds().count()), 2);
  put_digits(&text[20], unsigned(clock.subseconds().count()), 3);
  return text;
}

std::string format_imf_fixdate(system_clock::time_point time) {
  using namespace std::chrono;
  // Names by number, not strftime's %a and %b, which follow the locale.
  static constexpr std::string_view kDayNames = "SunMonTueWedThuFriSat";
  static constexpr std::string_view kMonthNames = "JanFebMarAprMayJunJulAugSepOctNovDec";
  const auto in_seconds = floor<seconds>(time);
  const auto day = floor<days>(in_seconds);
  const year_month_day date{day};
  const hh_mm_ss clock{in_seconds - day};
  std::string text = "Sun, 00 Jan 0000 00:00:00 GMT";
  text.replace(0, 3, kDayNames.substr(3 * weekday(day).c_encoding(), 3));
  put_digits(&text[5], unsigned(date.day()), 2);
  text.replace(8, 3, kMonthNames.substr(3 * (unsigned(date.month()) - 1), 3));
  // The format has room for four digits; a clock outside years 0-9999 is wrong anyway.
  put_digits(&text[12], unsigned(int(date.year())) % 10000, 4);
  put_digits(&text[17], unsigned(clock.hours().count()), 2);
  put_digits(&text[20], unsigned(clock.minutes().count()), 2);
  put_digits(&text[23], unsigned(clock.seconds().count()), 2);
  return text;
}

std::optional<system_clock::time_point> parse_rfc3339(std::string_view text) {
  using namespace std::chrono;
  std::size_t at = 0;
  const auto year = digits(text, at, 4);
  if (!year || !expect(text, at, "-")) return std::nullopt;
  const auto month = digits(text, at, 2);
  if (!month || !expect(text, at, "-")) return std::nullopt;
  const auto day = digits(text, at, 2);
  if (!day || !expect(text, at, "Tt")) return std::nullopt;
  const auto hour = digits(text, at, 2);
  if (!hour || !expect(text, at, ":")) return std::nullopt;
  const auto minute = digits(text, at, 2);
  if (!minute || !expect(text, at, ":")) return std::nullopt;
  const auto second = digits(text, at, 2);
  if (!second) return std::nullopt;
  nanoseconds subsecond{0};
  if (expect(text, at, ".")) {
    const auto parsed = fraction(text, at);
    if (!parsed) return std::nullopt;
    subsecond = *parsed;
  }
  minutes offset{0};
  if (!expect(text, at, "Zz")) {
    if (at >= text.size()) return std::nullopt;
    const int sign = text[at] == '-' ? -1 : 1;
    if (!expect(text, at, "+-")) return std::nullopt;
    const auto offset_hours = digits(text, at, 2);
    if (!offset_hours || !expect(text, at, ":")) return std::nullopt;
    const auto offset_minutes = digits(text, at, 2);
    if (!offset_minutes || *offset_hours > 23 || *offset_minutes > 59) return std::nullopt;
    offset = sign * (hours(*offset_hours) + minutes(*offset_minutes));
  }
  if (at != text.size()) return std::nullopt;
  const year_month_day date{std::chrono::year(*year), std::chrono::month(unsigned(*month)),
                            std::chrono::day(unsigned(*day))};
  // Second 60 is a leap second (RFC 3339 §5.6); it counts as the first second of the next minute.
  if (!date.ok() || *hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
  const auto local =
      sys_days(date) + hours(*hour) + minutes(*minute) + seconds(*second) + subsecond;
  return time_point_cast<system_clock::duration>(local - offset);
}

}  // namespace prm_mock
