#include "header_lines.hpp"

#include <string>

#include "ascii_text.hpp"

namespace prm_mock {

void add_header_lines(std::string_view lines, httplib::Headers& headers) {
  while (!lines.empty()) {
    const std::size_t end = lines.find("\r\n");
    const std::string_view line = lines.substr(0, end);
    lines.remove_prefix(end == std::string_view::npos ? lines.size() : end + 2);
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;  // never in a checked head
    headers.emplace(std::string(line.substr(0, colon)),
                    std::string(trim_spaces_and_tabs(line.substr(colon + 1))));
  }
}

void restore_header_values_as_sent(std::string_view lines, httplib::Request& request) {
  httplib::Headers as_sent;
  add_header_lines(lines, as_sent);
  for (const char* address : {"REMOTE_ADDR", "REMOTE_PORT", "LOCAL_ADDR", "LOCAL_PORT"}) {
    const auto [first, last] = request.headers.equal_range(address);
    as_sent.insert(first, last);
  }
  request.headers = std::move(as_sent);
}

}  // namespace prm_mock
