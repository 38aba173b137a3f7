#pragma once
// Small ASCII text helpers for protocol tokens (header names, media types, flag values). HTTP
// tokens are ASCII, so these never consult the locale.
#include <string>
#include <string_view>

namespace prm_mock {

inline char to_lower_ascii(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

inline std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = to_lower_ascii(c);
  return out;
}

// The value of one hexadecimal digit (either case), or -1 for any other byte.
inline int hex_digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

inline bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (to_lower_ascii(a[i]) != to_lower_ascii(b[i])) return false;
  }
  return true;
}

inline bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         equals_ignoring_case(text.substr(0, prefix.size()), prefix);
}

// Without leading and trailing spaces and tabs (HTTP's optional whitespace, OWS).
inline std::string_view trim_spaces_and_tabs(std::string_view text) {
  const auto space_or_tab = [](char c) { return c == ' ' || c == '\t'; };
  while (!text.empty() && space_or_tab(text.front())) text.remove_prefix(1);
  while (!text.empty() && space_or_tab(text.back())) text.remove_suffix(1);
  return text;
}

// Without leading and trailing spaces, tabs, CR and LF.
inline std::string_view trim_blanks(std::string_view text) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return text;
}

// An RFC 9110 token (a header name, an auth scheme): one or more of ALPHA, DIGIT and
// !#$%&'*+-.^_`|~.
inline bool is_http_token(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

}  // namespace prm_mock
