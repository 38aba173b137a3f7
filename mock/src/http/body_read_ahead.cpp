#include "http/body_read_ahead.hpp"

#include "http/header_lines.hpp"
#include "text/ascii_text.hpp"
#include "text/whole_number.hpp"

namespace prm_mock {

std::size_t body_bytes_to_read_ahead(std::string_view header_lines) {
  std::size_t length = 0;
  bool has_length = false;
  bool read_ahead = true;
  for_each_header_line(header_lines, [&](std::string_view name, std::string_view value) {
    if (equals_ignoring_case(name, "Transfer-Encoding") || equals_ignoring_case(name, "Expect")) {
      return read_ahead = false;
    }
    if (!equals_ignoring_case(name, "Content-Length")) return true;
    // A second Content-Length, even an equal one, is left to the body reader's judgement.
    if (has_length) return read_ahead = false;
    const auto parsed = parse_whole_number<std::size_t>(value);
    has_length = true;
    length = parsed.value_or(0);
    return read_ahead = parsed.has_value();
  });
  return read_ahead && has_length && length <= kMaxBodyReadAhead ? length : 0;
}

}  // namespace prm_mock
