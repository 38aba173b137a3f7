#pragma once
// Command-line and environment parsing for the prm-mock executable. Every flag has a
// PRM_MOCK_* environment twin; a flag given on the command line wins over its twin. The flags
// themselves are the table in cli_flags.hpp.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cli/command_options.hpp"
#include "prm_mock/config.hpp"

namespace prm_mock {

struct CliInvocation {
  std::string command = "serve";       // serve, validate, check, health, record, verify, tail
  std::vector<std::string> arguments;  // positional arguments after the command (validate: FILE)
  Config config;                       // the server's options; other commands read some of them
  ServeOptions serve;                  // what only one command reads
  HealthOptions health;
  VerifyOptions verify;
  TailOptions tail;
  bool show_help = false;
  bool show_version = false;
};

struct CliParseResult {
  std::optional<CliInvocation> invocation;  // set on success
  std::string error;                        // set on failure: one line naming the bad flag or value
};

// Looks up an environment variable; returns nothing when unset. Injected so tests need not touch
// the process environment.
using EnvironmentLookup = std::function<std::optional<std::string>(const std::string& name)>;
EnvironmentLookup process_environment();

CliParseResult parse_cli(const std::vector<std::string>& args, const EnvironmentLookup& env);

}  // namespace prm_mock
