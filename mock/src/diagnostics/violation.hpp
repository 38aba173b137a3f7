#pragma once
// One problem found in a request: the unit of every 400 the mock explains, and of warnings.
#include <string>
#include <vector>

namespace prm_mock {

struct Violation {
  std::string location;  // "body" or "header"
  std::string pointer;   // JSON Pointer into the body ("" is the whole body), or the header name
  std::string
      keyword;  // the JSON Schema keyword that failed ("required", "type", ...) or the rule name
  std::string message;  // one human sentence, e.g. "missing required property 'hash'"
};

using Violations = std::vector<Violation>;

}  // namespace prm_mock
