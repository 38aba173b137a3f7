#include "prm_mock/version.hpp"

#ifndef PRM_MOCK_VERSION
#error "PRM_MOCK_VERSION must come from the build"
#endif

namespace prm_mock {

const char* version() { return PRM_MOCK_VERSION; }

}  // namespace prm_mock
