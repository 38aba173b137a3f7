#include "cli/cli_values.hpp"

#include <limits>

#include "text/ascii_text.hpp"
#include "text/whole_number.hpp"

namespace prm_mock {

std::optional<long long> parse_integer_in_range(std::string_view text, long long min,
                                                long long max) {
  const auto value = parse_whole_number<unsigned long long>(text);
  if (!value || *value > static_cast<unsigned long long>(std::numeric_limits<long long>::max())) {
    return std::nullopt;
  }
  const auto number = static_cast<long long>(*value);
  if (number < min || number > max) return std::nullopt;
  return number;
}

std::optional<std::size_t> parse_byte_size(std::string_view text) {
  unsigned long long multiplier = 1;
  if (!text.empty()) {
    switch (text.back()) {
      case 'k':
      case 'K':
        multiplier = 1ULL << 10;
        break;
      case 'm':
      case 'M':
        multiplier = 1ULL << 20;
        break;
      case 'g':
      case 'G':
        multiplier = 1ULL << 30;
        break;
      default:
        break;
    }
    if (multiplier != 1) text.remove_suffix(1);
  }
  const auto count = parse_whole_number<unsigned long long>(text);
  if (!count || *count == 0) return std::nullopt;
  if (*count > std::numeric_limits<std::size_t>::max() / multiplier) return std::nullopt;
  return static_cast<std::size_t>(*count * multiplier);
}

std::optional<bool> parse_boolean(std::string_view text) {
  for (const std::string_view yes : {"1", "true", "yes", "on"}) {
    if (equals_ignoring_case(text, yes)) return true;
  }
  for (const std::string_view no : {"0", "false", "no", "off"}) {
    if (equals_ignoring_case(text, no)) return false;
  }
  return std::nullopt;
}

std::vector<std::string> split_comma_list(std::string_view text) {
  std::vector<std::string> items;
  while (true) {
    const std::size_t comma = text.find(',');
    const std::string_view item = trim_blanks(text.substr(0, comma));
    if (!item.empty()) items.emplace_back(item);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return items;
}

std::optional<std::string> normalise_base_path(std::string_view text) {
  if (text.empty() || text.front() != '/') return std::nullopt;
  while (text.size() > 1 && text.back() == '/') text.remove_suffix(1);
  return std::string(text);
}

}  // namespace prm_mock
