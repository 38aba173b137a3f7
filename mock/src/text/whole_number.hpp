#pragma once
// The one way a header value, query parameter or flag is read as a number: the whole text must
// be digits (an optional '-' only for signed types, as std::from_chars takes it), no blanks, no
// '+', no trailing bytes, and the value must fit the type. Anything else is "not a number".
#include <charconv>
#include <optional>
#include <string_view>
#include <system_error>

namespace prm_mock {

template <typename Integer>
std::optional<Integer> parse_whole_number(std::string_view text) {
  Integer value{};
  const char* const end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || stop != end) return std::nullopt;
  return value;
}

}  // namespace prm_mock
