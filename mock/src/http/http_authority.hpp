#pragma once
// The "host[:port]" of a Host header and the "scheme://host[:port]" of an Origin header, parsed
// into comparable parts: what the Host allow-list and the admin API's origin check compare.
#include <optional>
#include <string>
#include <string_view>

namespace prm_mock {

struct Authority {
  std::string host;         // lower case, one trailing dot dropped; IPv6 keeps brackets: "[::1]"
  std::optional<int> port;  // absent when the text names none
};

// nullopt unless `text` is a host name, an IPv4 address or a bracketed IPv6 address, optionally
// followed by ":port" (0-65535). Names are letters, digits, '-', '_' and '.': a Host header holding
// anything else ('@', '/', spaces) names no server this mock could be.
std::optional<Authority> parse_authority(std::string_view text);

struct WebOrigin {
  std::string scheme;  // "http" or "https"
  std::string host;    // as in Authority
  int port = 0;        // the scheme's default (80, 443) when the origin names none

  bool operator==(const WebOrigin&) const = default;
};

// nullopt unless `text` is "http://" or "https://" then an authority and nothing else (no path,
// no trailing '/'), which is how browsers serialise the Origin header. "null" is no origin.
std::optional<WebOrigin> parse_web_origin(std::string_view text);

// Whether `address` (an IPv4 dotted quad) lies in 127.0.0.0/8.
bool is_ipv4_loopback(std::string_view address);

}  // namespace prm_mock
