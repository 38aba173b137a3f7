#pragma once
// Numbers JSON text cannot carry. RapidJSON 1.1 parses "5551e308" (a mantissa that carries an
// in-range exponent past the largest double) to infinity without an error, and its Writer then
// writes nothing for it, so a value parsed from JSON can fail to serialise back (found by
// fuzz/template_renderer_fuzzer).
#include <rapidjson/document.h>

#include <optional>
#include <string>

namespace prm_mock {

// The JSON Pointer of the first infinite or NaN number in `root` ("" for the root itself), or
// nothing when every number is finite. Walks without recursing.
std::optional<std::string> non_finite_number_pointer(const rapidjson::Value& root);

}  // namespace prm_mock
