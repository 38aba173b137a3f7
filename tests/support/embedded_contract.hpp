#pragma once
// The contract compiled into the binary, loaded once for the whole test binary: many test files
// need it, and one shared definition (rather than a copy in each file's anonymous namespace) keeps
// them compilable together in one unity-build translation unit (scripts/test.sh builds that way).
#include "contract/contract.hpp"

namespace prm_mock::testing {

inline const Contract& contract() {
  static const Contract embedded = Contract::embedded();
  return embedded;
}

}  // namespace prm_mock::testing
