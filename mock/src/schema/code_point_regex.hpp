#pragma once
// A JSON Schema regex (`pattern`, `patternProperties` names, the `regex` format) matched the way
// ECMA-262 matches it: against code points, not UTF-8 bytes. `^[^<>]{1,12}$` must accept twelve
// CJK characters (36 bytes), and `\s` must see U+00A0 as white space.
//
// The engine is libstdc++'s std::wregex, fed code points (wchar_t is 32 bits), in its
// breadth-first mode: the default backtracking matcher recurses once per character, so one long
// request value would overflow the stack. That mode refuses back-references.
#include <cstddef>
#include <regex>
#include <stdexcept>
#include <string>
#include <string_view>

namespace prm_mock {

// Why a pattern cannot be used, as the end of a sentence about it ("is invalid: ...", "is longer
// than ...", "is not supported: ...").
class RegexProblem : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class CodePointRegex {
 public:
  // libstdc++'s regex compiler recurses once per pattern character; real patterns are far
  // shorter than this.
  static constexpr std::size_t kMaxPatternLength = 1024;

  // Throws RegexProblem for a pattern that is invalid, too long, or uses `\S` inside a character
  // class (std::regex's own `\s` misses U+00A0 and friends, and a negated class cannot be spelled
  // inside another class).
  explicit CodePointRegex(std::string_view pattern);

  // Whether the pattern matches anywhere in `utf8` (JSON Schema patterns are not anchored).
  bool search(std::string_view utf8) const;
  const std::string& source() const { return source_; }

 private:
  std::string source_;
  std::wregex regex_;
};

}  // namespace prm_mock
