#include "cli/validate_command.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <filesystem>
#include <fstream>
#include <istream>
#include <optional>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "contract/contract.hpp"
#include "diagnostics/violation_json.hpp"
#include "publish/advisory_rules.hpp"
#include "publish/json_body.hpp"

namespace prm_mock {
namespace {

constexpr int kValid = 0;
constexpr int kInvalid = 1;
constexpr int kUsageError = 2;

// A problem with what the user asked for, rather than with the body being checked.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string read_stream(std::istream& stream, const std::string& name) {
  std::ostringstream content;
  content << stream.rdbuf();
  // rdbuf() extraction flags failbit on an empty input too, so only badbit means a read error.
  if (stream.bad()) throw UsageError("cannot read " + name);
  return content.str();
}

std::string read_input(const std::string& argument, std::istream& stdin_stream) {
  if (argument == "-") return read_stream(stdin_stream, "standard input");
  std::error_code ignored;
  if (std::filesystem::is_directory(argument, ignored)) {
    throw UsageError("cannot read '" + argument + "': it is a directory");
  }
  std::ifstream file(argument, std::ios::binary);
  if (!file) throw UsageError("cannot read '" + argument + "': no such file or no permission");
  return read_stream(file, "'" + argument + "'");
}

Contract load_contract(const Config& config) {
  try {
    return Contract::from_config(config);
  } catch (const ContractError& error) {
    throw UsageError(std::string("unusable contract: ") + error.what());
  }
}

std::string parse_error_report(const JsonParseError& error) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("valid");
  writer.Bool(false);
  writer.Key("error");
  writer.StartObject();
  writer.Key("code");
  writer.String(error.code.c_str(), static_cast<rapidjson::SizeType>(error.code.size()));
  writer.Key("message");
  writer.String(error.message.c_str(), static_cast<rapidjson::SizeType>(error.message.size()));
  writer.Key("offset");
  writer.Uint64(error.offset);
  writer.EndObject();
  writer.Key("violations");
  write_violations(writer, {});
  writer.Key("warnings");
  write_violations(writer, {});
  writer.EndObject();
  return buffer.GetString();
}

std::string verdict_report(const Violations& violations, const Violations& warnings) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("valid");
  writer.Bool(violations.empty());
  writer.Key("violations");
  write_violations(writer, violations);
  writer.Key("warnings");
  write_violations(writer, warnings);
  writer.EndObject();
  return buffer.GetString();
}

}  // namespace

int run_validate_command(const CliInvocation& invocation, std::istream& stdin_stream,
                         std::ostream& out, std::ostream& err) {
  const Config& config = invocation.config;
  try {
    if (invocation.arguments.empty()) throw UsageError("missing FILE argument (use - for stdin)");
    if (invocation.arguments.size() > 1) {
      throw UsageError("unexpected extra argument '" + invocation.arguments[1] +
                       "' (validate takes one FILE)");
    }
    const std::string text = read_input(invocation.arguments.front(), stdin_stream);
    const Contract contract = load_contract(config);
    for (const std::string& warning : contract.warnings()) {
      err << "prm-mock validate: warning: " << warning << '\n';
    }

    rapidjson::Document body;
    if (const auto error = parse_json_body(text, body, config.max_json_depth)) {
      out << parse_error_report(*error) << '\n';
      return kInvalid;
    }
    Violations violations = contract.validate(body);
    // The advisory rules look inside the publish object; a body of another type has already failed
    // the contract's `type: object`, and holds nothing for them to read.
    Violations warnings = body.IsObject() ? check_advisory_rules(body) : Violations{};
    if (config.strict_advisory) {
      violations.insert(violations.end(), warnings.begin(), warnings.end());
      warnings.clear();
    }
    out << verdict_report(violations, warnings) << '\n';
    return violations.empty() ? kValid : kInvalid;
  } catch (const UsageError& error) {
    err << "prm-mock validate: " << error.what() << '\n';
    return kUsageError;
  }
}

}  // namespace prm_mock
