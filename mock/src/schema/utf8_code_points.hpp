#pragma once
// JSON Schema measures and matches strings in Unicode code points, while RapidJSON hands out UTF-8
// bytes. These helpers bridge the two, taking the byte length from the caller so that a U+0000
// inside a string counts like any other character.
#include <cstddef>
#include <string>
#include <string_view>

namespace prm_mock {

// Number of code points in `utf8` (every byte that does not continue a multi-byte sequence).
std::size_t count_code_points(std::string_view utf8);

// `utf8` decoded to code points, one wchar_t each (wchar_t is 32 bits on the supported platforms).
// An invalid byte becomes U+FFFD: request bodies are checked UTF-8, but a contract's strings are
// not.
std::wstring to_code_points(std::string_view utf8);

}  // namespace prm_mock
