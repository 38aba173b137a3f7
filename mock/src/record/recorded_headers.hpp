#pragma once
// Which headers cross the proxy and how they are written down. Hop-by-hop headers
// (RFC 9110 §7.6.1) describe one connection, not the message, so they never cross; credentials
// never reach a file.
#include <httplib.h>

#include <string>
#include <string_view>
#include <vector>

namespace prm_mock {

// Connection, Keep-Alive, Transfer-Encoding, TE, Trailer, Upgrade, Proxy-*, plus Host and
// Content-Length, which the forwarding client computes itself.
bool is_hop_by_hop_header(std::string_view name);

// Headers this mock sets on every answer itself (X-Request-Id, X-Mock-*, Access-Control-*, Date,
// Content-Type): not part of a recording, and not copied to the client twice.
bool is_set_by_mock(std::string_view name);

// The value to write for header `name`: the journal's redaction for credential headers, and the
// same "[redacted]…<fingerprint>" for Set-Cookie and every --redact-header name (any case).
std::string recorded_header_value(std::string_view name, std::string_view value,
                                  const std::vector<std::string>& extra_redacted);

}  // namespace prm_mock
