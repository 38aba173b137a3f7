#include "route_hint.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace prm_mock {
namespace {

std::string normalised(std::string_view path) {
  std::string out(path);
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Edit distance, abandoned early once it cannot stay within `limit` (paths are short; this only runs
// for requests that already failed to route).
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit) {
  if (a.size() > b.size() + limit || b.size() > a.size() + limit) return limit + 1;
  std::vector<std::size_t> previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    std::size_t row_best = current[0];
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
      row_best = std::min(row_best, current[j]);
    }
    if (row_best > limit) return limit + 1;
    std::swap(previous, current);
  }
  return previous[b.size()];
}

}  // namespace

std::string probable_path(std::string_view requested_path, std::string_view served_path,
                          std::string_view operation_path) {
  const std::string requested = normalised(requested_path);
  const std::string served = normalised(served_path);
  const std::string operation = normalised(operation_path);
  constexpr std::size_t kTypoLimit = 3;
  if (requested == served || ends_with(requested, operation) ||
      edit_distance(requested, served, kTypoLimit) <= kTypoLimit) {
    return std::string(served_path);
  }
  return {};
}

}  // namespace prm_mock
