#pragma once
// RFC 3339 timestamps for the journal: written as UTC with milliseconds, read with any offset.
// And the IMF-fixdate of HTTP's Date header.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace prm_mock {

// e.g. "2026-11-29T03:04:05.678Z" (the time is cut, not rounded, to the millisecond).
std::string format_utc_rfc3339_ms(std::chrono::system_clock::time_point time);

// RFC 9110 §5.6.7's IMF-fixdate, the one form a server writes HTTP dates in, e.g.
// "Sun, 06 Nov 1994 08:49:37 GMT": always 29 characters, the time cut to the second, day and month
// names in English whatever the process's locale.
std::string format_imf_fixdate(std::chrono::system_clock::time_point time);

// Parses "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)" ('t' and 'z' also accepted);
// nullopt when `text` is not such a timestamp or names an impossible date or time.
std::optional<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view text);

}  // namespace prm_mock
