#pragma once
// Turns one fixture file's text into a compiled Fixture: JSON syntax, then the fixture-format
// schema, then the checks only code can do (templates and pointers against the contract, regexes,
// the recorded request against the contract, response header names).
#include <memory>
#include <string_view>

#include "contract/contract.hpp"
#include "stubs/fixture.hpp"
#include "stubs/fixture_problem.hpp"

namespace prm_mock {

// Returns the fixture, or null after appending every problem found to `problems`.
std::shared_ptr<const Fixture> compile_fixture(std::string_view text, std::string_view file,
                                               const Contract& contract, FixtureProblems& problems);

}  // namespace prm_mock
