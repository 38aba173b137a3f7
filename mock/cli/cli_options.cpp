#include "cli/cli_options.hpp"

#include <algorithm>
#include <cstdlib>
#include <set>

#include "cli/cli_flags.hpp"
#include "text/edit_distance.hpp"

namespace prm_mock {
namespace {

constexpr std::string_view kCommands[] = {"serve",  "validate", "check", "health",
                                          "record", "verify",   "tail"};
// Flags that ask for information instead of configuring; valid with any command.
constexpr std::string_view kHelpFlags[] = {"--help", "-h"};
constexpr std::string_view kVersionFlag = "--version";

// Thrown to stop at the first problem; parse_cli turns it into the one-line error.
struct ParseFailure {
  std::string message;
};

// "-" alone is a positional argument (stdin for validate); anything else starting with '-' is a
// flag.
bool looks_like_flag(std::string_view argument) {
  return argument.size() > 1 && argument.front() == '-';
}

// The nearest candidate when it is close enough to be a plausible typo, else nothing.
std::optional<std::string_view> nearest(std::string_view word,
                                        const std::vector<std::string_view>& candidates) {
  std::optional<std::string_view> best;
  std::size_t best_distance = 0;
  for (const std::string_view candidate : candidates) {
    const std::size_t distance = edit_distance(word, candidate);
    // Up to two edits, or one per four characters in long names; and never so many that half the
    // letters differ, or "-x" would be "a typo of -h".
    const std::size_t tolerance = std::max<std::size_t>(2, candidate.size() / 4);
    const std::size_t letters =
        candidate.size() - std::min(candidate.find_first_not_of('-'), candidate.size());
    const bool close = distance <= tolerance && 2 * distance < letters;
    if (close && (!best || distance < best_distance)) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

std::string with_suggestion(std::string message, std::string_view word,
                            const std::vector<std::string_view>& candidates) {
  if (const auto suggestion = nearest(word, candidates)) {
    message += " (did you mean " + std::string(*suggestion) + "?)";
  }
  return message;
}

std::vector<std::string_view> known_flag_names() {
  std::vector<std::string_view> names;
  for (const FlagSpec& flag : flag_specs()) names.push_back(flag.name);
  names.insert(names.end(), std::begin(kHelpFlags), std::end(kHelpFlags));
  names.push_back(kVersionFlag);
  return names;
}

std::string value_error(std::string_view source, const std::string& expectation,
                        std::string_view value) {
  return std::string(source) + ": " + expectation + ", got '" + std::string(value) + "'";
}

// Parses args[index] (a flag), consuming its separate value when it has one. Returns the env twin
// of the option it set, or "" for --help/--version.
std::string_view parse_flag(const std::vector<std::string>& args, std::size_t& index,
                            CliInvocation& invocation) {
  const std::string_view argument = args[index];
  const std::size_t equals = argument.find('=');
  const std::string_view name = argument.substr(0, equals);
  const bool inline_value = equals != std::string_view::npos;
  const std::string_view given_value = inline_value ? argument.substr(equals + 1) : "";

  const bool is_help =
      std::find(std::begin(kHelpFlags), std::end(kHelpFlags), name) != std::end(kHelpFlags);
  if (is_help || name == kVersionFlag) {
    if (inline_value) throw ParseFailure{std::string(name) + " takes no value"};
    (is_help ? invocation.show_help : invocation.show_version) = true;
    return "";
  }
  const FlagSpec* flag = find_flag(name);
  if (!flag) {
    throw ParseFailure{
        with_suggestion("unknown flag '" + std::string(name) + "'", name, known_flag_names())};
  }
  std::string_view value = given_value;
  if (flag->placeholder.empty()) {
    if (inline_value) throw ParseFailure{std::string(name) + " takes no value"};
    value = flag->switch_value;
  } else if (!inline_value) {
    // A following "--flag" is a forgotten value, not a value; "--flag=--x" still passes one.
    const bool has_next = index + 1 < args.size() && !args[index + 1].starts_with("--");
    if (!has_next) throw ParseFailure{"missing value for " + std::string(name)};
    value = args[++index];
  }
  if (const auto expectation = flag->apply(invocation, value)) {
    throw ParseFailure{value_error(name, *expectation, value)};
  }
  return flag->env;
}

// "serve, validate, …, record or verify", from kCommands so the message never goes stale.
std::string command_list() {
  std::string list;
  const std::size_t count = std::size(kCommands);
  for (std::size_t index = 0; index < count; ++index) {
    if (index > 0) list += index + 1 == count ? " or " : ", ";
    list += kCommands[index];
  }
  return list;
}

void take_positional(std::string_view argument, bool& command_seen, CliInvocation& invocation) {
  if (command_seen) {
    invocation.arguments.emplace_back(argument);
    return;
  }
  command_seen = true;
  if (std::find(std::begin(kCommands), std::end(kCommands), argument) == std::end(kCommands)) {
    const std::vector<std::string_view> commands(std::begin(kCommands), std::end(kCommands));
    const auto suggestion = nearest(argument, commands);
    throw ParseFailure{"unknown command '" + std::string(argument) + "' (" +
                       (suggestion ? "did you mean " + std::string(*suggestion) + "?"
                                   : "expected " + command_list()) +
                       ")"};
  }
  invocation.command = argument;
}

// Fills every option no flag set from its environment twin. An empty variable counts as unset, so
// `PRM_MOCK_PORT=` in a compose file means "the default", not an error.
void apply_environment(const std::set<std::string_view>& set_by_flag, const EnvironmentLookup& env,
                       CliInvocation& invocation) {
  std::set<std::string_view> consulted;
  for (const FlagSpec& flag : flag_specs()) {
    if (set_by_flag.contains(flag.env) || !consulted.insert(flag.env).second) continue;
    const std::optional<std::string> value = env(std::string(flag.env));
    if (!value || value->empty()) continue;
    const ApplyValue apply = flag.apply_env ? flag.apply_env : flag.apply;
    if (const auto expectation = apply(invocation, *value)) {
      throw ParseFailure{value_error(flag.env, *expectation, *value)};
    }
  }
}

}  // namespace

EnvironmentLookup process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (!value) return std::nullopt;
    return std::string(value);
  };
}

CliParseResult parse_cli(const std::vector<std::string>& args, const EnvironmentLookup& env) {
  CliInvocation invocation;
  std::set<std::string_view> set_by_flag;
  bool command_seen = false;
  bool flags_ended = false;
  try {
    for (std::size_t index = 0; index < args.size(); ++index) {
      const std::string& argument = args[index];
      if (!flags_ended && argument == "--") {
        flags_ended = true;
      } else if (!flags_ended && looks_like_flag(argument)) {
        set_by_flag.insert(parse_flag(args, index, invocation));
      } else {
        take_positional(argument, command_seen, invocation);
      }
    }
    if (invocation.command != "validate" && !invocation.arguments.empty()) {
      throw ParseFailure{invocation.command + " takes no arguments, got '" +
                         invocation.arguments.front() + "'"};
    }
    // Help and version need no configuration, so a broken variable must not hide them.
    if (!invocation.show_help && !invocation.show_version) {
      apply_environment(set_by_flag, env, invocation);
      const Config& config = invocation.config;
      // Half a TLS setup would silently serve plain HTTP to a client that asked for HTTPS.
      if (config.tls_cert.empty() != config.tls_key.empty()) {
        throw ParseFailure{"--tls-cert and --tls-key go together; got only " +
                           std::string(config.tls_cert.empty() ? "--tls-key" : "--tls-cert")};
      }
    }
  } catch (const ParseFailure& failure) {
    return CliParseResult{std::nullopt, failure.message};
  }
  return CliParseResult{std::move(invocation), ""};
}

}  // namespace prm_mock
