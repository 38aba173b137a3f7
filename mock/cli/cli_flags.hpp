#pragma once
// The table of configuration flags: one row per flag, naming its environment twin, how its value is
// parsed into Config or a command's options (a generic setter for the kind of value, bound to the
// field), and what --help says about it. Parsing and help both read this table, so a flag cannot
// exist undocumented.
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "cli/cli_options.hpp"

namespace prm_mock {

// Stores `value` in the invocation's Config or command options; on an unacceptable value returns
// what was expected instead (e.g. "expected an integer 0-65535") and leaves them unchanged.
using ApplyValue = std::optional<std::string> (*)(CliInvocation& invocation,
                                                  std::string_view value);

struct FlagSpec {
  std::string_view name;          // "--port"
  std::string_view env;           // "PRM_MOCK_PORT"; flags sharing a twin set the same option
  std::string_view placeholder;   // "N"; empty for a switch, which takes no value
  std::string_view switch_value;  // the value a switch applies: "true" or "false"
  std::string_view default_text;  // for --help; empty when a default would say nothing
  std::string_view description;   // for --help, one line
  ApplyValue apply;               // for the value given on the command line
  // For the value of the environment twin when it differs (a repeatable flag adds one item, its
  // twin is a comma list); nullptr: `apply`.
  ApplyValue apply_env = nullptr;
};

std::span<const FlagSpec> flag_specs();

// The row for `name` ("--port"), or nullptr.
const FlagSpec* find_flag(std::string_view name);

}  // namespace prm_mock
