#pragma once
#include <string>

namespace prm_mock {

// A random (version 4) UUID in canonical text form. Used for request ids and generated ids; a
// per-thread generator keeps it lock-free on the request path.
std::string new_uuid_v4();

}  // namespace prm_mock
