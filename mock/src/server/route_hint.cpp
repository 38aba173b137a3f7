#include "server/route_hint.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

#include "text/ascii_text.hpp"
#include "text/edit_distance.hpp"

namespace prm_mock {
namespace {

std::string normalised(std::string_view path) {
  std::string out(path);
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return lower_ascii(out);
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

std::string probable_path(std::string_view requested_path, std::string_view served_path,
                          std::string_view operation_path) {
  const std::string requested = normalised(requested_path);
  const std::string served = normalised(served_path);
  const std::string operation = normalised(operation_path);
  constexpr std::size_t kTypoLimit = 3;
  if (requested == served || ends_with(requested, operation) ||
      edit_distance(requested, served) <= kTypoLimit) {
    return std::string(served_path);
  }
  return {};
}

}  // namespace prm_mock
