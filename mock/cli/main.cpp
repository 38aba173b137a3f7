// The prm-mock executable: parses the command line and hands over to the command it names.
#include <iostream>
#include <string>
#include <vector>

#include "cli/check_command.hpp"
#include "cli/cli_help_text.hpp"
#include "cli/cli_options.hpp"
#include "cli/health_command.hpp"
#include "cli/serve_command.hpp"
#include "cli/tail_command.hpp"
#include "cli/validate_command.hpp"
#include "cli/verify_command.hpp"
#include "prm_mock/version.hpp"

int main(int argc, char** argv) {
  const std::vector<std::string> arguments(argv + 1, argv + argc);
  const prm_mock::CliParseResult parsed =
      prm_mock::parse_cli(arguments, prm_mock::process_environment());
  if (!parsed.invocation) {
    std::cerr << "prm-mock: " << parsed.error << "\nRun 'prm-mock --help' for usage.\n";
    return 2;
  }
  const prm_mock::CliInvocation& invocation = *parsed.invocation;
  if (invocation.show_help) {
    std::cout << prm_mock::cli_help_text();
    return 0;
  }
  if (invocation.show_version) {
    std::cout << "prm-mock " << prm_mock::version() << "\n";
    return 0;
  }
  const prm_mock::Config& config = invocation.config;
  if (invocation.command == "validate") {
    return prm_mock::run_validate_command(invocation, std::cin, std::cout, std::cerr);
  }
  if (invocation.command == "check")
    return prm_mock::run_check_command(config, std::cout, std::cerr);
  if (invocation.command == "health") {
    return prm_mock::run_health_command(config, invocation.health, std::cout, std::cerr);
  }
  if (invocation.command == "verify") {
    return prm_mock::run_verify_command(config, invocation.verify, std::cout, std::cerr);
  }
  if (invocation.command == "tail") {
    return prm_mock::run_tail_command(config, invocation.health, invocation.tail, std::cout,
                                      std::cerr);
  }
  if (invocation.command == "record") return prm_mock::run_record_command(config, invocation.serve);
  return prm_mock::run_serve_command(config, invocation.serve);
}
