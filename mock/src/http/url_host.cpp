#include "http/url_host.hpp"

namespace prm_mock {

std::string url_host(std::string_view host) {
  // Only an IPv6 literal contains ':'; a name or IPv4 address never does.
  if (host.find(':') == std::string_view::npos || host.starts_with('[')) return std::string(host);
  std::string bracketed = "[";
  for (const char c : host) {
    bracketed += c;
    if (c == '%') bracketed += "25";
  }
  return bracketed + "]";
}

std::string url_origin(bool tls, std::string_view host, int port) {
  return std::string(tls ? "https://" : "http://") + url_host(host) + ":" + std::to_string(port);
}

}  // namespace prm_mock
