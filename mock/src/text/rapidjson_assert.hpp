#pragma once
// Forced first into every file of the build (CMakeLists.txt), before any RapidJSON header.
// valijson needs RapidJSON's assertions to throw (VALIJSON_USE_EXCEPTIONS); its adapter would
// define RAPIDJSON_ASSERT through a function taking `const std::string& file`, so every check -
// RapidJSON checks on each value access - built and freed a string: a third of the server's CPU
// in a callgrind profile. This one throws the same error, and allocates only when it fails.
#include <stdexcept>
#include <string>

namespace prm_mock {

[[noreturn]] inline void rapidjson_assertion_failed(const char* file, int line) {
  throw std::runtime_error(std::string("assertion failed; file: ") + file +
                           "; line: " + std::to_string(line));
}

}  // namespace prm_mock

#define RAPIDJSON_ASSERT(x) \
  ((x) ? static_cast<void>(0) : ::prm_mock::rapidjson_assertion_failed(__FILE__, __LINE__))

// valijson then warns (#warning) that RAPIDJSON_ASSERT is already defined: that is the point, and
// -Wno-cpp on these targets keeps the warning from failing -Werror builds.
#include <valijson/adapters/rapidjson_adapter.hpp>
