#pragma once
// Where record mode forwards to: --upstream URL split into what cpp-httplib's Client wants (the
// scheme://host:port origin) and the path that replaces the local base path.
#include <optional>
#include <string>
#include <string_view>

namespace prm_mock {

struct UpstreamTarget {
  std::string origin;  // "https://api.example.com:443"
  // The URL's path without a trailing '/'. Empty: requests keep their own path (base included);
  // else it replaces the local base path, so --upstream https://host/api maps /api/x to /api/x.
  std::string path;
};

// Nothing when `url` is not http:// or https:// with a host.
std::optional<UpstreamTarget> parse_upstream_url(std::string_view url);

// The path to request upstream for a local request to `local_path` served under `base_path`.
std::string upstream_path(const UpstreamTarget& target, std::string_view base_path,
                          std::string_view local_path);

}  // namespace prm_mock
