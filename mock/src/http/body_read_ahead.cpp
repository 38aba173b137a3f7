#include "body_read_ahead.hpp"

#include <charconv>

#include "ascii_text.hpp"

namespace prm_mock {

std::size_t body_bytes_to_read_ahead(std::string_view header_lines) {
  std::size_t length = 0;
  bool has_length = false;
  while (!header_lines.empty()) {
    const std::size_t end = header_lines.find("\r\n");
    const std::string_view line = header_lines.substr(0, end);
    header_lines.remove_prefix(end == std::string_view::npos ? header_lines.size() : end + 2);
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;  // never in a checked head
    const std::string_view name = line.substr(0, colon);
    if (equals_ignoring_case(name, "Transfer-Encoding") || equals_ignoring_case(name, "Expect")) {
      return 0;
    }
    if (!equals_ignoring_case(name, "Content-Length")) continue;
    // A second Content-Length, even an equal one, is left to the body reader's judgement.
    if (has_length) return 0;
    const std::string_view value = trim_spaces_and_tabs(line.substr(colon + 1));
    const auto [parsed_end, error] = std::from_chars(value.data(), value.data() + value.size(), length);
    if (value.empty() || error != std::errc() || parsed_end != value.data() + value.size()) return 0;
    has_length = true;
  }
  return has_length && length <= kMaxBodyReadAhead ? length : 0;
}

}  // namespace prm_mock
