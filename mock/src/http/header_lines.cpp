#include "header_lines.hpp"

#include <string>

namespace prm_mock {
namespace {

bool is_space_or_tab(char c) { return c == ' ' || c == '\t'; }

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && is_space_or_tab(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space_or_tab(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace

void add_header_lines(std::string_view lines, httplib::Headers& headers) {
  while (!lines.empty()) {
    const std::size_t end = lines.find("\r\n");
    const std::string_view line = lines.substr(0, end);
    lines.remove_prefix(end == std::string_view::npos ? lines.size() : end + 2);
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;  // never in a checked head
    headers.emplace(std::string(line.substr(0, colon)),
                    std::string(trimmed(line.substr(colon + 1))));
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
