#pragma once
// `prm-mock check [--fixtures DIR]...`: loads the contract and the fixtures exactly as `serve`
// would, without serving, and prints every problem as `file: field: message`.
#include <filesystem>
#include <ostream>
#include <vector>

#include "contract/contract.hpp"
#include "prm_mock/config.hpp"

namespace prm_mock {

// The command: loads the contract (--contract or embedded), then checks the fixtures (embedded plus
// config.fixture_dirs) as check_fixtures does. 0 when all load, 1 on fixture problems, 2 on an
// unusable contract (explained on `err`).
int run_check_command(const Config& config, std::ostream& out, std::ostream& err);

// Its second half, for a contract already loaded: 0 and a one-line summary when every fixture in
// the embedded defaults and `directories` loads; 1 and one line per problem otherwise.
int check_fixtures(const std::vector<std::filesystem::path>& directories, const Contract& contract,
                   std::ostream& out);

}  // namespace prm_mock
