#include "stubs/prefer_header.hpp"

#include <cctype>
#include <string_view>

#include "text/ascii_text.hpp"

namespace prm_mock {
namespace {

void read_one(std::string_view value, ResponsePreference& preference) {
  while (!value.empty()) {
    const std::size_t end = value.find_first_of(",;");
    const std::string_view item = trim_blanks(value.substr(0, end));
    value = end == std::string_view::npos ? std::string_view() : value.substr(end + 1);
    const std::size_t equals = item.find('=');
    if (equals == std::string_view::npos) continue;
    const std::string_view key = trim_blanks(item.substr(0, equals));
    std::string_view argument = trim_blanks(item.substr(equals + 1));
    if (argument.size() >= 2 && argument.front() == '"' && argument.back() == '"') {
      argument = argument.substr(1, argument.size() - 2);
    }
    // RFC 7240 §2: of a preference given more than once, only the first instance counts.
    if (equals_ignoring_case(key, "code")) {
      if (!preference.code) preference.code = std::string(argument);
    } else if (equals_ignoring_case(key, "example")) {
      if (!preference.example) preference.example = std::string(argument);
    }
  }
}

}  // namespace

ResponsePreference read_response_preference(const httplib::Headers& headers) {
  ResponsePreference preference;
  const auto [first, last] = headers.equal_range("Prefer");
  for (auto it = first; it != last; ++it) read_one(it->second, preference);
  return preference;
}

}  // namespace prm_mock
