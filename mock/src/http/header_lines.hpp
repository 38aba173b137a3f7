#pragma once
// Header lines as the client sent them. httplib percent-decodes every header value (it reads
// "X-Key: a%41" as "aA", "a%00b" as a value with a NUL in it) and drops those that are empty,
// though a field value is never percent-encoded (RFC 9110 §5.5): the mock would then match,
// authenticate and journal values nobody sent. The connection layer puts them back as sent.
#include <httplib.h>

#include <string_view>

#include "text/ascii_text.hpp"

namespace prm_mock {

// Calls `visit(name, value)` for each of `lines` (whole header lines, each ending in CRLF, already
// checked by RequestHeadCheck), the value without surrounding whitespace, until it returns false.
template <typename Visit>
void for_each_header_line(std::string_view lines, Visit visit) {
  while (!lines.empty()) {
    const std::size_t end = lines.find("\r\n");
    const std::string_view line = lines.substr(0, end);
    lines.remove_prefix(end == std::string_view::npos ? lines.size() : end + 2);
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;  // never in a checked head
    if (!visit(line.substr(0, colon), trim_spaces_and_tabs(line.substr(colon + 1)))) return;
  }
}

// Adds each of `lines` (whole header lines, each ending in CRLF, already checked by
// RequestHeadCheck) to `headers`, its value without surrounding whitespace.
void add_header_lines(std::string_view lines, httplib::Headers& headers);

// Replaces the headers httplib parsed from `lines` with the values as sent; the connection
// addresses httplib adds to the headers (REMOTE_ADDR, ...) are kept.
void restore_header_values_as_sent(std::string_view lines, httplib::Request& request);

}  // namespace prm_mock
