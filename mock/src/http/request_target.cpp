#include "http/request_target.hpp"

#include "text/ascii_text.hpp"

namespace prm_mock {

std::string_view target_path(std::string_view target) { return target.substr(0, target.find('?')); }

bool has_encoded_slash(std::string_view target) {
  const std::string_view path = target_path(target);
  for (std::size_t at = path.find('%'); at != std::string_view::npos; at = path.find('%', at + 1)) {
    if (equals_ignoring_case(path.substr(at, 3), "%2f")) return true;
  }
  return false;
}

}  // namespace prm_mock
