// `prm-mock validate FILE|-`: one JSON verdict on stdout, exit 0/1/2.
#include <doctest/doctest.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/validate_command.hpp"

namespace {

namespace fs = std::filesystem;
using prm_mock::CliInvocation;

constexpr const char* kValidPublish = R"({
  "registryRef": "acme/prompts",
  "artifact": {
    "prompt": "greeting", "version": "1.2.3", "model": "gpt-4o", "compiled": "Hello {{name}}",
    "hash": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "schema": {"input": "name"}, "components": {}, "metadata": {"team": 7}
  }
})";

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
  rapidjson::Document report;  // `out` parsed, when it is JSON
};

Outcome run(CliInvocation invocation, const std::string& stdin_text = "") {
  invocation.command = "validate";
  std::istringstream in(stdin_text);
  std::ostringstream out;
  std::ostringstream err;
  Outcome outcome;
  outcome.exit_code = prm_mock::run_validate_command(invocation, in, out, err);
  outcome.out = out.str();
  outcome.err = err.str();
  outcome.report.Parse(outcome.out.c_str());
  return outcome;
}

Outcome run_stdin(const std::string& body, prm_mock::Config config = {}) {
  CliInvocation invocation;
  invocation.arguments = {"-"};
  invocation.config = std::move(config);
  return run(std::move(invocation), body);
}

// A file in a directory of its own, removed with it.
class TemporaryBodyFile {
 public:
  explicit TemporaryBodyFile(const std::string& content, const std::string& name = "body.json") {
    static int counter = 0;
    directory_ = fs::temp_directory_path() / ("prm-mock-validate-" + std::to_string(::getpid()) +
                                              "-" + std::to_string(++counter));
    fs::create_directories(directory_);
    std::ofstream(directory_ / name, std::ios::binary) << content;
    path_ = (directory_ / name).string();
  }
  ~TemporaryBodyFile() {
    std::error_code ignored;
    fs::remove_all(directory_, ignored);
  }
  const std::string& path() const { return path_; }
  std::string directory() const { return directory_.string(); }

 private:
  fs::path directory_;
  std::string path_;
};

bool has_pointer(const rapidjson::Value& list, const std::string& pointer,
                 const std::string& keyword) {
  for (const auto& item : list.GetArray()) {
    if (pointer == item["pointer"].GetString() && keyword == item["keyword"].GetString()) {
      return true;
    }
  }
  return false;
}

// The report is exactly one JSON document on one line, in the documented shape.
void check_report_shape(const Outcome& outcome) {
  REQUIRE_FALSE(outcome.report.HasParseError());
  CHECK(outcome.out.back() == '\n');
  CHECK(outcome.out.find('\n') == outcome.out.size() - 1);
  REQUIRE(outcome.report.IsObject());
  REQUIRE(outcome.report["valid"].IsBool());
  REQUIRE(outcome.report["violations"].IsArray());
  REQUIRE(outcome.report["warnings"].IsArray());
  for (const char* list : {"violations", "warnings"}) {
    for (const auto& item : outcome.report[list].GetArray()) {
      REQUIRE(item.IsObject());
      CHECK(item.MemberCount() == 4);
      for (const char* member : {"location", "pointer", "keyword", "message"}) {
        REQUIRE(item.HasMember(member));
        CHECK(item[member].IsString());
      }
      CHECK(std::string(item["location"].GetString()) == "body");
    }
  }
  CHECK(outcome.err.empty());
}

std::string with_version(const std::string& version) {
  std::string body = kValidPublish;
  body.replace(body.find("1.2.3"), 5, version);
  return body;
}

}  // namespace

TEST_CASE("validate: a valid body exits 0 with an empty report") {
  const Outcome outcome = run_stdin(kValidPublish);
  CHECK(outcome.exit_code == 0);
  check_report_shape(outcome);
  CHECK(outcome.out == "{\"valid\":true,\"violations\":[],\"warnings\":[]}\n");
}

TEST_CASE("validate: every contract violation is listed with its pointer; exit 1") {
  const Outcome outcome = run_stdin(R"({"registryRef": "acme/prompts", "artifact": {
      "prompt": "greeting", "version": 1, "model": "gpt-4o", "compiled": "x",
      "schema": {}, "components": {}, "metadata": {}}})");
  CHECK(outcome.exit_code == 1);
  check_report_shape(outcome);
  CHECK_FALSE(outcome.report["valid"].GetBool());
  CHECK(has_pointer(outcome.report["violations"], "/artifact/hash", "required"));
  CHECK(has_pointer(outcome.report["violations"], "/artifact/version", "type"));
}

TEST_CASE("validate: a body that is not an object is invalid, not a crash") {
  for (const std::string body : {"[]", "42", "\"text\"", "null"}) {
    CAPTURE(body);
    const Outcome outcome = run_stdin(body);
    CHECK(outcome.exit_code == 1);
    check_report_shape(outcome);
    CHECK(outcome.report["violations"].Size() >= 1);
    CHECK(outcome.report["warnings"].Size() == 0);
  }
}

TEST_CASE("validate: advisory findings are warnings; the body stays valid") {
  const Outcome outcome = run_stdin(with_version("1.2"));
  CHECK(outcome.exit_code == 0);
  check_report_shape(outcome);
  CHECK(outcome.report["valid"].GetBool());
  CHECK(outcome.report["violations"].Size() == 0);
  CHECK(has_pointer(outcome.report["warnings"], "/artifact/version", "advisory"));
}

TEST_CASE("validate: --strict reports advisory findings as violations; exit 1") {
  prm_mock::Config config;
  config.strict_advisory = true;
  const Outcome outcome = run_stdin(with_version("1.2"), config);
  CHECK(outcome.exit_code == 1);
  check_report_shape(outcome);
  CHECK_FALSE(outcome.report["valid"].GetBool());
  CHECK(has_pointer(outcome.report["violations"], "/artifact/version", "advisory"));
  CHECK(outcome.report["warnings"].Size() == 0);
  // A body with no advisory findings stays valid under --strict.
  CHECK(run_stdin(kValidPublish, config).exit_code == 0);
}

TEST_CASE("validate: --validation does not apply to the validate command") {
  prm_mock::Config config;
  config.validation = prm_mock::ValidationMode::Off;
  CHECK(run_stdin("{}", config).exit_code == 1);
}

TEST_CASE("validate: malformed JSON gives an error object with the byte offset; exit 1") {
  const Outcome outcome = run_stdin(R"({"registryRef": "a/b" "artifact": {}})");
  CHECK(outcome.exit_code == 1);
  REQUIRE_FALSE(outcome.report.HasParseError());
  CHECK(outcome.out.find('\n') == outcome.out.size() - 1);
  CHECK_FALSE(outcome.report["valid"].GetBool());
  const auto& error = outcome.report["error"];
  CHECK(std::string(error["code"].GetString()) == "MALFORMED_JSON");
  CHECK(error["message"].IsString());
  CHECK(error["offset"].GetUint64() == 22);
  CHECK(error.MemberCount() == 3);
  CHECK(outcome.report["violations"].Size() == 0);
  CHECK(outcome.report["warnings"].Size() == 0);
  CHECK(outcome.err.empty());
}

TEST_CASE("validate: empty input and invalid UTF-8 are malformed") {
  const Outcome empty = run_stdin("");
  CHECK(empty.exit_code == 1);
  CHECK(std::string(empty.report["error"]["code"].GetString()) == "MALFORMED_JSON");
  const Outcome bad_utf8 = run_stdin("{\"registryRef\": \"\xC3\x28\"}");
  CHECK(bad_utf8.exit_code == 1);
  CHECK(std::string(bad_utf8.report["error"]["code"].GetString()) == "MALFORMED_JSON");
}

TEST_CASE("validate: --max-json-depth bounds the nesting") {
  prm_mock::Config config;
  config.max_json_depth = 3;
  const Outcome deep = run_stdin(R"({"a": {"b": {"c": {}}}})", config);
  CHECK(deep.exit_code == 1);
  CHECK(std::string(deep.report["error"]["code"].GetString()) == "NESTING_TOO_DEEP");
  // Hostile nesting far beyond the default limit is reported, not a stack overflow.
  const Outcome hostile = run_stdin(std::string(1'000'000, '['));
  CHECK(hostile.exit_code == 1);
  CHECK(hostile.report.HasMember("error"));
}

TEST_CASE("validate: reads a FILE argument") {
  const TemporaryBodyFile file(kValidPublish);
  CliInvocation invocation;
  invocation.arguments = {file.path()};
  const Outcome outcome = run(invocation, "not used");
  CHECK(outcome.exit_code == 0);
  check_report_shape(outcome);
}

TEST_CASE("validate: usage problems exit 2 with a message on stderr and nothing on stdout") {
  CliInvocation none;
  const Outcome missing = run(none);
  CHECK(missing.exit_code == 2);
  CHECK(missing.out.empty());
  CHECK(missing.err == "prm-mock validate: missing FILE argument (use - for stdin)\n");

  CliInvocation two;
  two.arguments = {"a.json", "b.json"};
  const Outcome extra = run(two);
  CHECK(extra.exit_code == 2);
  CHECK(extra.out.empty());
  CHECK(extra.err ==
        "prm-mock validate: unexpected extra argument 'b.json' (validate takes one FILE)\n");

  CliInvocation absent;
  absent.arguments = {"/nonexistent/body.json"};
  const Outcome unreadable = run(absent);
  CHECK(unreadable.exit_code == 2);
  CHECK(unreadable.out.empty());
  CHECK(unreadable.err.find("cannot read '/nonexistent/body.json'") != std::string::npos);

  const TemporaryBodyFile file("{}");
  CliInvocation directory;
  directory.arguments = {file.directory()};
  const Outcome is_directory = run(directory);
  CHECK(is_directory.exit_code == 2);
  CHECK(is_directory.err.find("is a directory") != std::string::npos);
}

TEST_CASE("validate: --contract loads another document; an unusable one is a usage error") {
  SUBCASE("the published document, from a file") {
    prm_mock::Config config;
    config.contract_file =
        std::string(PRM_MOCK_SOURCE_DIR) + "/schemas/prm-registry-publish.openapi.yaml";
    CHECK(run_stdin(kValidPublish, config).exit_code == 0);
    CHECK(run_stdin("{}", config).exit_code == 1);
  }
  SUBCASE("a contract file that does not exist") {
    prm_mock::Config config;
    config.contract_file = "/nonexistent/contract.yaml";
    const Outcome outcome = run_stdin(kValidPublish, config);
    CHECK(outcome.exit_code == 2);
    CHECK(outcome.out.empty());
    CHECK(outcome.err.find("/nonexistent/contract.yaml") != std::string::npos);
  }
  SUBCASE("a contract without the publish operation") {
    const TemporaryBodyFile contract("openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths: {}\n",
                                     "contract.yaml");
    prm_mock::Config config;
    config.contract_file = contract.path();
    const Outcome outcome = run_stdin(kValidPublish, config);
    CHECK(outcome.exit_code == 2);
    CHECK(outcome.out.empty());
    CHECK(outcome.err.starts_with("prm-mock validate: unusable contract: "));
  }
}
