#include "check_fixtures_command.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>

#include "contract.hpp"
#include "fixtures/check_command.hpp"

namespace prm_mock {

int run_check(const Config& config, std::ostream& out, std::ostream& err) {
  try {
    Contract contract = Contract::embedded();
    if (!config.contract_file.empty()) {
      std::ifstream file(config.contract_file, std::ios::binary);
      if (!file) {
        err << "prm-mock: cannot read contract file '" << config.contract_file << "'\n";
        return 2;
      }
      const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
      contract = Contract::from_text(text, config.contract_file);
    }
    const std::vector<std::filesystem::path> directories(config.fixture_dirs.begin(),
                                                         config.fixture_dirs.end());
    return run_check_command(directories, contract, out);
  } catch (const ContractError& error) {
    err << "prm-mock: " << error.what() << "\n";
    return 2;
  }
}

}  // namespace prm_mock
