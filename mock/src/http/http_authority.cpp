#include "http/http_authority.hpp"

#include <charconv>

#include "text/ascii_text.hpp"
#include "text/whole_number.hpp"

namespace prm_mock {
namespace {

bool is_name_character(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

bool is_ipv6_character(char c) {
  return (c >= 'a' && c <= 'f') || (c >= '0' && c <= '9') || c == ':' || c == '.';
}

// A decimal number of at most `max_digits` digits and no sign (from_chars would take a '-').
std::optional<int> small_decimal(std::string_view digits, std::size_t max_digits) {
  if (digits.empty() || digits.size() > max_digits) return std::nullopt;
  for (const char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  return parse_whole_number<int>(digits);
}

std::optional<int> parse_port_number(std::string_view digits) {
  const auto port = small_decimal(digits, 5);
  if (!port || *port > 65535) return std::nullopt;
  return port;
}

// Splits "host:port" or "[v6]:port" at the port's colon; `port_text` stays empty without one.
bool split_host_and_port(std::string_view text, std::string_view& host,
                         std::string_view& port_text) {
  std::size_t host_end = 0;
  if (text.starts_with('[')) {
    host_end = text.find(']');
    if (host_end == std::string_view::npos) return false;
    ++host_end;
  } else {
    host_end = std::min(text.find(':'), text.size());
  }
  host = text.substr(0, host_end);
  const std::string_view rest = text.substr(host_end);
  if (rest.empty()) return true;
  if (rest.front() != ':') return false;
  port_text = rest.substr(1);
  return !port_text.empty();
}

}  // namespace

std::optional<Authority> parse_authority(std::string_view text) {
  std::string_view host_text;
  std::string_view port_text;
  if (!split_host_and_port(text, host_text, port_text)) return std::nullopt;
  Authority authority{lower_ascii(host_text), std::nullopt};
  std::string& host = authority.host;
  if (host.starts_with('[')) {
    const std::string_view inside = std::string_view(host).substr(1, host.size() - 2);
    if (inside.find(':') == std::string_view::npos) return std::nullopt;
    for (const char c : inside) {
      if (!is_ipv6_character(c)) return std::nullopt;
    }
  } else {
    // "localhost." is "localhost" to a resolver; comparing it as another name would refuse it.
    if (host.ends_with('.')) host.pop_back();
    if (host.empty() || host.front() == '.') return std::nullopt;
    for (const char c : host) {
      if (!is_name_character(c)) return std::nullopt;
    }
  }
  if (!port_text.empty()) {
    authority.port = parse_port_number(port_text);
    if (!authority.port) return std::nullopt;
  }
  return authority;
}

std::optional<WebOrigin> parse_web_origin(std::string_view text) {
  const std::size_t separator = text.find("://");
  if (separator == std::string_view::npos) return std::nullopt;
  const std::string scheme = lower_ascii(text.substr(0, separator));
  if (scheme != "http" && scheme != "https") return std::nullopt;
  const auto authority = parse_authority(text.substr(separator + 3));
  if (!authority) return std::nullopt;
  const int default_port = scheme == "https" ? 443 : 80;
  return WebOrigin{scheme, authority->host, authority->port.value_or(default_port)};
}

bool is_ipv4_loopback(std::string_view address) {
  int octets = 0;
  int first = -1;
  while (true) {
    const std::size_t dot = std::min(address.find('.'), address.size());
    const auto value = small_decimal(address.substr(0, dot), 3);
    if (!value || *value > 255) return false;
    if (first < 0) first = *value;
    ++octets;
    if (dot == address.size()) break;
    address.remove_prefix(dot + 1);
  }
  return octets == 4 && first == 127;
}

}  // namespace prm_mock
