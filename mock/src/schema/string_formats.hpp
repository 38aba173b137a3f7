#pragma once
// The `format` values the mock asserts on strings. JSON Schema 2020-12 makes format an annotation
// unless a validator opts in; a strict mock opts in, because a client sending "2026-02-30" as a
// date should learn it before the real API tells it.
#include <string_view>

namespace prm_mock {

// Whether `value` (a UTF-8 string) is valid for one format.
using FormatCheck = bool (*)(std::string_view value);

// The check for `name`, or nullptr when the mock does not know the format: date, time, date-time
// (RFC 3339), email (RFC 5321 mailbox), uri (RFC 3986, absolute), uuid (RFC 4122 text), ipv4,
// ipv6 (RFC 4291 text), hostname (RFC 1123) and regex (ECMA-262, as `pattern` reads it).
FormatCheck format_check(std::string_view name);

}  // namespace prm_mock
