#pragma once
// httplib's server adds the connection's addresses to every request's headers (REMOTE_ADDR,
// REMOTE_PORT, LOCAL_ADDR, LOCAL_PORT). The client never sent them: they are not journaled,
// forwarded upstream or replaced by the header values as sent.
#include <array>
#include <string_view>

namespace prm_mock {

inline constexpr std::array<std::string_view, 4> kConnectionPseudoHeaders = {
    "REMOTE_ADDR", "REMOTE_PORT", "LOCAL_ADDR", "LOCAL_PORT"};

inline bool is_connection_pseudo_header(std::string_view name) {
  for (const std::string_view pseudo : kConnectionPseudoHeaders) {
    if (name == pseudo) return true;
  }
  return false;
}

}  // namespace prm_mock
