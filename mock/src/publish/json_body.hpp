#pragma once
// Parses a request body into a RapidJSON document without ever recursing on the input: the parse is
// iterative and depth-bounded, so hostile nesting gets a 400 instead of a stack overflow, both here
// and in the validator that walks the result afterwards.
#include <rapidjson/document.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace prm_mock {

struct JsonParseError {
  std::string code;  // "MALFORMED_JSON" (syntax or invalid UTF-8) or "NESTING_TOO_DEEP"
  std::string
      message;  // e.g. "invalid JSON at byte 17: missing a comma or '}' after an object member"
  std::size_t offset = 0;  // byte offset of the problem in the body
};

// Parses `text` into `out` (which owns the values). Accepts exactly one JSON value surrounded by
// optional whitespace; rejects invalid UTF-8, NaN/Infinity, comments, trailing content, objects
// that repeat a member name (see json_body_duplicates.hpp), and nesting deeper than `max_depth`
// (arrays and objects both count; the top-level value is depth 1).
std::optional<JsonParseError> parse_json_body(std::string_view text, rapidjson::Document& out,
                                              std::size_t max_depth);

}  // namespace prm_mock
