#pragma once
// Step 1's explanation for a 404: which path the client probably meant.
#include <string>
#include <string_view>

namespace prm_mock {

// Returns `served_path` when `requested_path` is a near miss of it (the path without the base path,
// a trailing slash, different letter case, or a small typo), otherwise "".
std::string probable_path(std::string_view requested_path, std::string_view served_path,
                          std::string_view operation_path);

}  // namespace prm_mock
