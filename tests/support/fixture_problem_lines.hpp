#pragma once
// A fixture's problems as text, one per line: what fixture tests print when a compile fails.
#include <string>

#include "stubs/fixture_problem.hpp"

namespace prm_mock::testing {

inline std::string problem_lines(const FixtureProblems& problems) {
  std::string lines;
  for (const auto& problem : problems) lines += to_string(problem) + "\n";
  return lines;
}

}  // namespace prm_mock::testing
