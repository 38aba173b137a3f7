#include "record/recorded_headers.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "journal/redaction.hpp"

namespace prm_mock {
namespace {

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool starts_with_name(std::string_view name, std::string_view prefix) {
  return name.size() >= prefix.size() && same_name(name.substr(0, prefix.size()), prefix);
}

constexpr std::array<std::string_view, 8> kHopByHop{
    "Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Trailer",
    "Upgrade",    "Host",       "Content-Length"};

}  // namespace

bool is_hop_by_hop_header(std::string_view name) {
  return starts_with_name(name, "Proxy-") ||
         std::any_of(kHopByHop.begin(), kHopByHop.end(),
                     [name](std::string_view hop) { return same_name(name, hop); });
}

bool is_set_by_mock(std::string_view name) {
  return same_name(name, "X-Request-Id") || same_name(name, "Date") ||
         same_name(name, "Content-Type") || starts_with_name(name, "X-Mock-") ||
         starts_with_name(name, "Access-Control-");
}

std::string recorded_header_value(std::string_view name, std::string_view value,
                                  const std::vector<std::string>& extra_redacted) {
  if (is_credential_response_header(name)) return redact_response_header_value(name, value);
  const bool listed =
      std::any_of(extra_redacted.begin(), extra_redacted.end(),
                  [name](const std::string& redacted) { return same_name(name, redacted); });
  if (!listed) return std::string(value);
  return "[redacted]…" + secret_fingerprint(value);
}

}  // namespace prm_mock
