#pragma once
// Finding where a string literal starts in JSON text that has already parsed, for error offsets
// that must point at a string rather than past it.
#include <cstddef>
#include <string_view>

namespace prm_mock {

// The opening quote of the string literal that offset `inside` (after that quote) belongs to.
// Inside a literal a quote is always escaped, so it is the nearest quote before `inside` that
// follows an even run of backslashes.
inline std::size_t opening_quote_before(std::string_view text, std::size_t inside) {
  std::size_t open = inside;
  while (open > 0) {
    --open;
    if (text[open] != '"') continue;
    std::size_t backslashes = 0;
    while (backslashes < open && text[open - 1 - backslashes] == '\\') ++backslashes;
    if (backslashes % 2 == 0) break;
  }
  return open;
}

}  // namespace prm_mock
