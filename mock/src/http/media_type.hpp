#pragma once
// Step 3 of the pipeline: the body must be declared as JSON.
#include <string>
#include <string_view>

namespace prm_mock {

// Empty when `content_type` is application/json (any case, optional parameters; a charset parameter
// must name UTF-8, the only encoding JSON allows on the wire). Otherwise the reason, for the
// client.
std::string json_media_type_problem(std::string_view content_type);

}  // namespace prm_mock
