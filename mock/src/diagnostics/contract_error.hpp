#pragma once
// The one exception every stage that reads the contract throws: YAML parsing, $ref inlining, the
// schema compiler and the contract loader. It sits below all of them so that none needs the
// loader's header to report a problem.
#include <stdexcept>

namespace prm_mock {

// A contract that cannot be used (unparseable, operation missing, unresolvable $ref, a schema
// keyword the mock cannot honour). The message names the origin and, where known, the JSON
// Pointer of the problem.
class ContractError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace prm_mock
