#pragma once
// verify's comparison: the live answer must have the recorded answer's shape (same keys, same JSON
// types, recursively); values may differ except at the pointers the user names.
#include <rapidjson/document.h>

#include <string>
#include <vector>

namespace prm_mock {

// One line per difference, e.g. "/id expected string found number", "/extra unexpected",
// "/message missing", "/status expected 1 found 2" (for --compare-values pointers). Array elements
// are compared at the indices both arrays have; their count is a value, not a shape.
std::vector<std::string> shape_differences(const rapidjson::Value& expected,
                                           const rapidjson::Value& found,
                                           const std::vector<std::string>& compare_values);

}  // namespace prm_mock
