#pragma once
#include <ostream>

#include "prm_mock/config.hpp"

namespace prm_mock {

// `prm-mock check`: loads the contract (--contract or embedded) and the fixtures (embedded plus
// --fixtures), prints every problem; 0 when all load, 1 on fixture problems, 2 on an unusable
// contract.
int run_check(const Config& config, std::ostream& out, std::ostream& err);

}  // namespace prm_mock
