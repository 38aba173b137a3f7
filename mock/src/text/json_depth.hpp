#pragma once
// How deeply a parsed JSON value nests, measured without recursing on it: the check that keeps
// hostile nesting away from the code that does recurse (schema validators, templates, copies).
#include <rapidjson/document.h>

#include <cstddef>

namespace prm_mock {

// Whether an array or object in `root` is nested deeper than `limit` (a top-level container is at
// depth 1; scalars add nothing).
bool nested_deeper_than(const rapidjson::Value& root, std::size_t limit);

}  // namespace prm_mock
