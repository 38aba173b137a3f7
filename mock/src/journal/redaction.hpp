#pragma once
// Credentials never leave the process: the journal, its file and the log show a fingerprint
// instead.
#include <string>
#include <string_view>
#include <vector>

namespace prm_mock {

// True for the headers whose values are secrets: X-API-Key, Authorization, Cookie and
// Proxy-Authorization (any case).
bool is_credential_header(std::string_view name);

// The value to show for header `name`: unchanged unless it is a credential header, else
// "[redacted]…<fingerprint>", keeping the scheme of an Authorization value
// ("Bearer [redacted]…<fingerprint>"). Values that are empty or blank are shown as they are:
// they hide nothing, and showing them helps explain a 401.
std::string redact_header_value(std::string_view name, std::string_view value);

// The secret a credential header's value carries: the value trimmed, without the scheme of an
// Authorization value ("Bearer abc" gives "abc"). Empty for a blank value or another header.
std::string_view credential_secret(std::string_view name, std::string_view value);

// True for the response headers whose values are secrets: the credential headers above and
// Set-Cookie (a session is a credential too).
bool is_credential_response_header(std::string_view name);

// The value to show for response header `name`: redact_header_value's for a credential header,
// "[redacted]…<fingerprint>" for Set-Cookie, else unchanged.
std::string redact_response_header_value(std::string_view name, std::string_view value);

// `text` with every occurrence of one of `secrets` replaced by "[redacted]…<fingerprint>", so
// that a response echoing a request's key (a fixture's {{header:X-API-Key}}) keeps no key.
// Output stops at `max_bytes` (or just past it, when a replacement ends there), never inside a
// multi-byte character or a secret; `cut` says whether text was left out. Empty secrets are
// ignored.
std::string redact_secrets_in(std::string_view text, const std::vector<std::string>& secrets,
                              std::size_t max_bytes, bool& cut);

// The fingerprint of a secret, so tests can tell keys apart without seeing them. The same key gives
// the same fingerprint whether it came as X-API-Key or as a Bearer token (both are trimmed).
//  - secret of 16 characters or more: its last 4 characters. Long keys have enough entropy left
//    that 4 characters reveal little, and a person can match them against a key they hold.
//  - shorter secret: the 8 lower-case hex digits of its 32-bit FNV-1a hash. Four characters of a
//    short key would reveal too much of it. FNV-1a (not std::hash) because it is the same on every
//    build and platform, and a test in any language can compute it to check which key was sent.
std::string secret_fingerprint(std::string_view secret);

}  // namespace prm_mock
