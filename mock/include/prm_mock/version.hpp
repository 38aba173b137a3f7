#pragma once

namespace prm_mock {

// The release version, e.g. "0.1.0" (from the CMake project version).
const char* version();

}  // namespace prm_mock
