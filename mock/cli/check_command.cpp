#include "cli/check_command.hpp"

#include "stubs/fixture_loader.hpp"

namespace prm_mock {

int run_check_command(const Config& config, std::ostream& out, std::ostream& err) {
  try {
    const Contract contract = Contract::from_config(config);
    const std::vector<std::filesystem::path> directories(config.fixture_dirs.begin(),
                                                         config.fixture_dirs.end());
    return check_fixtures(directories, contract, out);
  } catch (const ContractError& error) {
    err << "prm-mock: " << error.what() << "\n";
    return 2;
  }
}

int check_fixtures(const std::vector<std::filesystem::path>& directories, const Contract& contract,
                   std::ostream& out) {
  const LoadResult result = load_fixture_set(directories, contract);
  if (!result.ok()) {
    for (const auto& problem : result.problems) out << to_string(problem) << '\n';
    out << result.problems.size() << (result.problems.size() == 1 ? " problem" : " problems")
        << " found; the fixtures were not loaded\n";
    return 1;
  }
  out << "ok: " << result.set->size() << " fixtures valid (embedded defaults";
  for (const auto& directory : directories) out << ", " << directory.string();
  out << ")\n";
  return 0;
}

}  // namespace prm_mock
