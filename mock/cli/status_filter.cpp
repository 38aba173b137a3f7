#include "cli/status_filter.hpp"

#include "text/ascii_text.hpp"
#include "text/whole_number.hpp"

namespace prm_mock {
std::optional<StatusFilter> StatusFilter::parse(std::string_view text) {
  StatusFilter filter;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    const std::string_view item = trim_spaces_and_tabs(text.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (item.size() != 3 || item[0] < '1' || item[0] > '5') return std::nullopt;
    if (equals_ignoring_case(item.substr(1), "xx")) {
      const int hundreds = (item[0] - '0') * 100;
      filter.items_.push_back({hundreds, hundreds + 99});
    } else {
      const auto status = parse_whole_number<unsigned>(item);
      if (!status) return std::nullopt;
      const int exact = static_cast<int>(*status);
      filter.items_.push_back({exact, exact});
    }
    if (comma == std::string_view::npos) return filter;
    start = comma + 1;
  }
}

bool StatusFilter::admits(int status) const {
  if (items_.empty()) return true;
  for (const Item& item : items_) {
    if (status >= item.low && status <= item.high) return true;
  }
  return false;
}

}  // namespace prm_mock
