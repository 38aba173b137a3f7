// GCC 12 at -O2 with -fsanitize=address reports a false "may be used uninitialized" inside
// libstdc++'s std::regex compiler; this file's code is not the cause.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include "schema/code_point_regex.hpp"

#include "schema/utf8_code_points.hpp"

namespace prm_mock {
namespace {

// ECMA-262's WhiteSpace and LineTerminator code points, which `\s` means; std::regex's `\s` asks
// the C locale, which knows only the ASCII ones.
constexpr std::wstring_view kEcmaWhiteSpace =
    L"\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff";

// The pattern with `\s` and `\S` spelled out as classes of kEcmaWhiteSpace.
std::wstring with_ecma_white_space(std::wstring_view pattern) {
  std::wstring result;
  bool in_class = false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const wchar_t c = pattern[i];
    if (c == L'\\' && i + 1 < pattern.size()) {
      const wchar_t escaped = pattern[++i];
      if (escaped == L's') {
        result +=
            in_class ? std::wstring(kEcmaWhiteSpace) : L"[" + std::wstring(kEcmaWhiteSpace) + L"]";
      } else if (escaped == L'S') {
        if (in_class) throw RegexProblem("is not supported: \\S inside a character class");
        result += L"[^" + std::wstring(kEcmaWhiteSpace) + L"]";
      } else {
        result += c;
        result += escaped;
      }
      continue;
    }
    if (c == L'[' && !in_class)
      in_class = true;
    else if (c == L']' && in_class)
      in_class = false;
    result += c;
  }
  return result;
}

constexpr auto kSyntax = std::regex::ECMAScript | std::regex_constants::__polynomial;

}  // namespace

CodePointRegex::CodePointRegex(std::string_view pattern) : source_(pattern) {
  const std::wstring code_points = to_code_points(pattern);
  if (code_points.size() > kMaxPatternLength) {
    throw RegexProblem("is longer than " + std::to_string(kMaxPatternLength) + " characters");
  }
  try {
    regex_ = std::wregex(with_ecma_white_space(code_points), kSyntax);
  } catch (const std::regex_error& error) {
    throw RegexProblem(std::string("is invalid: ") + error.what());
  }
}

bool CodePointRegex::search(std::string_view utf8) const {
  return std::regex_search(to_code_points(utf8), regex_);
}

}  // namespace prm_mock
