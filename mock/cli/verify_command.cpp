#include "cli/verify_command.hpp"

#include <httplib.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <filesystem>
#include <string>
#include <vector>

#include "contract/contract.hpp"
#include "record/upstream_target.hpp"
#include "stubs/fixture_loader.hpp"
#include "verify/shape_diff.hpp"

namespace prm_mock {
namespace {

struct Replay {
  std::string name;
  std::string request_text;
  rapidjson::Document expected;  // the fixture's response {status, headers?, body?}
};

struct Outcome {
  std::string name;
  std::vector<std::string> differences;  // empty: PASS
};

std::string json_text(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return buffer.GetString();
}

// The fixtures that can be replayed: those with recorded.request. Unparseable files are reported
// as drift-free problems by `prm-mock check`, not here, so they are skipped.
std::vector<Replay> replayable_fixtures(const std::vector<std::string>& directories,
                                        std::vector<std::string>& problems) {
  std::vector<Replay> replays;
  for (const std::string& directory : directories) {
    const FixtureLayer layer = read_fixture_directory(directory);
    for (const auto& problem : layer.read_problems) problems.push_back(to_string(problem));
    for (const FixtureFile& file : layer.files) {
      rapidjson::Document fixture;
      fixture.Parse(file.text.c_str(), file.text.size());
      if (fixture.HasParseError() || !fixture.IsObject() || !fixture.HasMember("recorded") ||
          !fixture["recorded"].IsObject() || !fixture["recorded"].HasMember("request") ||
          !fixture.HasMember("response") || !fixture.HasMember("name") ||
          !fixture["name"].IsString())
        continue;
      Replay replay;
      replay.name = fixture["name"].GetString();
      replay.request_text = json_text(fixture["recorded"]["request"]);
      replay.expected.CopyFrom(fixture["response"], replay.expected.GetAllocator());
      replays.push_back(std::move(replay));
    }
  }
  return replays;
}

Outcome replay_one(httplib::Client& client, const std::string& path,
                   const httplib::Headers& headers, const std::vector<std::string>& compare_values,
                   const Replay& replay) {
  Outcome outcome{replay.name, {}};
  const auto result = client.Post(path, headers, replay.request_text, "application/json");
  if (!result) {
    outcome.differences.push_back("no answer (" + httplib::to_string(result.error()) + ")");
    return outcome;
  }
  const int expected_status = replay.expected["status"].GetInt();
  if (result->status != expected_status) {
    outcome.differences.push_back("status expected " + std::to_string(expected_status) + " found " +
                                  std::to_string(result->status));
  }
  const bool expects_body = replay.expected.HasMember("body");
  if (result->body.empty()) {
    if (expects_body) outcome.differences.push_back("(body) missing");
    return outcome;
  }
  rapidjson::Document found;
  found.Parse(result->body.c_str(), result->body.size());
  if (found.HasParseError()) {
    outcome.differences.push_back("(body) expected JSON found text");
  } else if (!expects_body) {
    outcome.differences.push_back("(body) unexpected");
  } else {
    for (std::string& difference :
         shape_differences(replay.expected["body"], found, compare_values)) {
      outcome.differences.push_back(std::move(difference));
    }
  }
  return outcome;
}

// Where the replays go on the target: the contract's operation path under the target URL's own
// path, or else under the base path (--base-path, else the contract's servers[0].url). Throws when
// the contract cannot be loaded.
std::string replay_path(const Config& config, const UpstreamTarget& target) {
  const Contract contract = Contract::from_config(config);
  std::string base = config.base_path.empty() ? contract.server_base_path() : config.base_path;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return upstream_path(target, base, base + contract.operation_path());
}

// POSTs each recorded request to the target the way record reaches its upstream (timeout, CA,
// --insecure), with the first --api-key, and compares each answer with its recording.
std::vector<Outcome> replay_all(const std::vector<Replay>& replays, const UpstreamTarget& target,
                                const std::string& path, const Config& config,
                                const VerifyOptions& options) {
  httplib::Client client(target.origin);
  const auto timeout = std::chrono::milliseconds(config.upstream_timeout_ms);
  client.set_connection_timeout(timeout);
  client.set_read_timeout(timeout);
  if (!config.upstream_ca.empty()) client.set_ca_cert_path(config.upstream_ca.c_str());
  client.enable_server_certificate_verification(!config.insecure);
  httplib::Headers headers;
  if (!config.api_keys.empty()) headers.emplace("X-API-Key", config.api_keys.front());
  std::vector<Outcome> outcomes;
  for (const Replay& replay : replays) {
    outcomes.push_back(replay_one(client, path, headers, options.compare_values, replay));
  }
  return outcomes;
}

void print_text(const std::vector<Outcome>& outcomes, std::ostream& out) {
  std::size_t failed = 0;
  for (const Outcome& outcome : outcomes) {
    if (outcome.differences.empty()) {
      out << "PASS " << outcome.name << '\n';
      continue;
    }
    ++failed;
    out << "DRIFT " << outcome.name << ':';
    for (std::size_t i = 0; i < outcome.differences.size(); ++i) {
      out << (i == 0 ? " " : ", ") << outcome.differences[i];
    }
    out << '\n';
  }
  out << outcomes.size() - failed << " passed, " << failed << " failed\n";
}

void print_json(const std::vector<Outcome>& outcomes, std::ostream& out) {
  rapidjson::Document report(rapidjson::kObjectType);
  auto& allocator = report.GetAllocator();
  rapidjson::Value results(rapidjson::kArrayType);
  int failed = 0;
  for (const Outcome& outcome : outcomes) {
    rapidjson::Value entry(rapidjson::kObjectType);
    entry.AddMember("name", rapidjson::Value(outcome.name.c_str(), allocator), allocator);
    entry.AddMember("result", rapidjson::StringRef(outcome.differences.empty() ? "PASS" : "DRIFT"),
                    allocator);
    rapidjson::Value differences(rapidjson::kArrayType);
    for (const std::string& difference : outcome.differences) {
      differences.PushBack(rapidjson::Value(difference.c_str(), allocator), allocator);
    }
    entry.AddMember("differences", differences, allocator);
    results.PushBack(entry, allocator);
    if (!outcome.differences.empty()) ++failed;
  }
  report.AddMember("passed", static_cast<int>(outcomes.size()) - failed, allocator);
  report.AddMember("failed", failed, allocator);
  report.AddMember("fixtures", results, allocator);
  out << json_text(report) << '\n';
}

}  // namespace

int run_verify_command(const Config& config, const VerifyOptions& options, std::ostream& out,
                       std::ostream& err) {
  const auto target = parse_upstream_url(options.target);
  if (!target) {
    err << "prm-mock verify: --target URL is required (http:// or https://)\n";
    return 2;
  }
  const std::vector<std::string> directories = config.fixture_dirs.empty()
                                                   ? std::vector<std::string>{config.record_out}
                                                   : config.fixture_dirs;
  std::vector<std::string> problems;
  const std::vector<Replay> replays = replayable_fixtures(directories, problems);
  for (const std::string& problem : problems) err << "prm-mock verify: " << problem << '\n';
  if (replays.empty()) {
    err << "prm-mock verify: no fixture with recorded.request to replay\n";
    return 2;
  }

  std::string path;
  try {
    path = replay_path(config, *target);
  } catch (const std::exception& error) {
    err << "prm-mock verify: " << error.what() << '\n';
    return 2;
  }
  const std::vector<Outcome> outcomes = replay_all(replays, *target, path, config, options);
  if (options.json) {
    print_json(outcomes, out);
  } else {
    print_text(outcomes, out);
  }
  for (const Outcome& outcome : outcomes) {
    if (!outcome.differences.empty()) return 1;
  }
  return 0;
}

}  // namespace prm_mock
