#pragma once
// The text printed by --help, rendered from the flag table so no flag goes unlisted: the usage
// lines, the commands, every flag of the table in cli_flags.hpp with its environment twin and
// default, and the exit codes.
#include <string>

namespace prm_mock {

std::string cli_help_text();

}  // namespace prm_mock
