#pragma once
// Credentials never leave the process: the journal, its file and the log show a fingerprint
// instead.
#include <string>
#include <string_view>

namespace prm_mock {

// True for the headers whose values are secrets: X-API-Key, Authorization, Cookie and
// Proxy-Authorization (any case).
bool is_credential_header(std::string_view name);

// The value to show for header `name`: unchanged unless it is a credential header, else
// "[redacted]…<fingerprint>", keeping the scheme of an Authorization value
// ("Bearer [redacted]…<fingerprint>"). Values that are empty or blank are shown as they are:
// they hide nothing, and showing them helps explain a 401.
std::string redact_header_value(std::string_view name, std::string_view value);

// The fingerprint of a secret, so tests can tell keys apart without seeing them. The same key gives
// the same fingerprint whether it came as X-API-Key or as a Bearer token (both are trimmed).
//  - secret of 16 characters or more: its last 4 characters. Long keys have enough entropy left
//    that 4 characters reveal little, and a person can match them against a key they hold.
//  - shorter secret: the 8 lower-case hex digits of its 32-bit FNV-1a hash. Four characters of a
//    short key would reveal too much of it. FNV-1a (not std::hash) because it is the same on every
//    build and platform, and a test in any language can compute it to check which key was sent.
std::string secret_fingerprint(std::string_view secret);

}  // namespace prm_mock
