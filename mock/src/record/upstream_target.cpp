#include "record/upstream_target.hpp"

namespace prm_mock {

std::optional<UpstreamTarget> parse_upstream_url(std::string_view url) {
  std::string_view rest;
  if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else if (url.starts_with("https://")) {
    rest = url.substr(8);
  } else {
    return std::nullopt;
  }
  const std::size_t slash = rest.find('/');
  const std::string_view authority = rest.substr(0, slash);
  if (authority.empty() || authority.find_first_of("?#@ ") != std::string_view::npos) {
    return std::nullopt;
  }
  UpstreamTarget target;
  target.origin = std::string(url.substr(0, url.size() - rest.size())) + std::string(authority);
  if (slash != std::string_view::npos) target.path = rest.substr(slash);
  while (!target.path.empty() && target.path.back() == '/') target.path.pop_back();
  return target;
}

std::string upstream_path(const UpstreamTarget& target, std::string_view base_path,
                          std::string_view local_path) {
  if (target.path.empty()) return std::string(local_path);
  std::string_view below = local_path;
  if (below.starts_with(base_path)) below.remove_prefix(base_path.size());
  return target.path + std::string(below);
}

}  // namespace prm_mock
