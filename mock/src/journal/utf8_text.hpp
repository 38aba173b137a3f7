#pragma once
// Request bytes are arbitrary, but the journal is JSON: strings must be valid UTF-8.
#include <cstddef>
#include <string>
#include <string_view>

namespace prm_mock {

bool is_valid_utf8(std::string_view text);

// `text` itself when it is valid UTF-8, else a copy with each invalid byte replaced by U+FFFD.
std::string valid_utf8(std::string_view text);

// The longest prefix of `text` of at most `max_bytes` that does not end inside a multi-byte
// character, so cutting a body never manufactures a broken character.
std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes);

}  // namespace prm_mock
