#pragma once
// `prm-mock check [--fixtures DIR]...`: loads the fixtures exactly as `serve` would, without
// serving, and prints every problem as `file: field: message`.
#include <filesystem>
#include <ostream>
#include <vector>

#include "contract/contract.hpp"

namespace prm_mock {

// 0 and a one-line summary when every fixture loads; 1 and one line per problem otherwise.
int run_check_command(const std::vector<std::filesystem::path>& directories,
                      const Contract& contract, std::ostream& out);

}  // namespace prm_mock
