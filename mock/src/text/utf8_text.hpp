#pragma once
// Request bytes are arbitrary, but the journal is JSON: strings must be valid UTF-8.
#include <cstddef>
#include <string>
#include <string_view>

namespace prm_mock {

bool is_valid_utf8(std::string_view text);

// `text` itself when it is valid UTF-8, else a copy with each invalid byte replaced by U+FFFD.
std::string valid_utf8(std::string_view text);

// Writes client bytes as a JSON string with a RapidJSON writer: as they are when they are
// UTF-8 (nearly always, and then without a copy), else through valid_utf8.
template <typename JsonWriter>
void write_utf8_json_string(JsonWriter& writer, std::string_view text) {
  if (is_valid_utf8(text)) {
    writer.String(text.data(), static_cast<unsigned>(text.size()));
    return;
  }
  const std::string valid = valid_utf8(text);
  writer.String(valid.data(), static_cast<unsigned>(valid.size()));
}

// The longest prefix of `text` of at most `max_bytes` that does not end inside a multi-byte
// character, so cutting a body never manufactures a broken character.
std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes);

}  // namespace prm_mock
