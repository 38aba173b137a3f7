#include "cli/check_fixtures_command.hpp"

#include <filesystem>

#include "cli/check_fixtures_report.hpp"
#include "contract/contract.hpp"

namespace prm_mock {

int run_check(const Config& config, std::ostream& out, std::ostream& err) {
  try {
    const Contract contract = Contract::from_config(config);
    const std::vector<std::filesystem::path> directories(config.fixture_dirs.begin(),
                                                         config.fixture_dirs.end());
    return run_check_command(directories, contract, out);
  } catch (const ContractError& error) {
    err << "prm-mock: " << error.what() << "\n";
    return 2;
  }
}

}  // namespace prm_mock
