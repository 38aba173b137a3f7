// Loading: defaults + directories, later replaces by name, whole or nothing; `check`.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "cli/check_command.hpp"
#include "contract/contract.hpp"
#include "embedded_contract.hpp"
#include "fixture_problem_lines.hpp"
#include "stubs/fixture_loader.hpp"
#include "temporary_directory.hpp"

using namespace prm_mock;
using prm_mock::testing::TemporaryDirectory;
namespace fs = std::filesystem;

namespace {

using prm_mock::testing::contract;
using prm_mock::testing::problem_lines;

std::string fixture_json(const std::string& name, int status, const std::string& extra = "") {
  return R"({"name": ")" + name + R"(", "response": {"status": )" + std::to_string(status) + "}" +
         extra + "}";
}

}  // namespace

TEST_CASE("fixture loading: the embedded defaults load on their own") {
  const LoadResult result = load_fixture_set({}, contract());
  const std::string lines = problem_lines(result.problems);
  INFO(lines);
  REQUIRE(result.ok());
  for (const char* name : {"success", "unauthorized", "forbidden", "registry-not-found",
                           "duplicate-version", "rate-limited", "server-error"}) {
    CHECK_MESSAGE(result.set->find(name) != nullptr, name);
  }
  CHECK(result.set->ranked().back()->name == "success");  // lowest priority, no conditions
  CHECK(result.set->find("success")->when.condition_count() == 0);
}

TEST_CASE("fixture loading: directories add fixtures; a later one replaces the same name") {
  TemporaryDirectory first;
  TemporaryDirectory second;
  first.write("extra.json", fixture_json("extra", 202));
  first.write("success.json", fixture_json("success", 201));
  first.write("README.md", "not a fixture: ignored");
  second.write("other-file-name.json", fixture_json("success", 203));
  const LoadResult result = load_fixture_set({first.path(), second.path()}, contract());
  REQUIRE(result.ok());
  CHECK(result.set->find("extra")->response().status == 202);
  CHECK(result.set->find("success")->response().status == 203);
  CHECK(result.set->find("success")->file == (second.path() / "other-file-name.json").string());
  CHECK(result.set->find("forbidden") != nullptr);  // the defaults stay
  CHECK(result.set->size() == load_fixture_set({}, contract()).set->size() + 1);
}

TEST_CASE("fixture loading: one bad file means no set, and every problem is reported") {
  TemporaryDirectory directory;
  directory.write("good.json", fixture_json("good", 200));
  directory.write("bad-status.json", fixture_json("bad-status", 600));
  directory.write("bad-key.json",
                  R"({"name": "bad-key", "prority": 1, "response": {"status": 200}})");
  directory.write("twin.json", fixture_json("good", 201));
  const LoadResult result = load_fixture_set({directory.path()}, contract());
  CHECK_FALSE(result.ok());
  CHECK(result.set == nullptr);
  REQUIRE(result.problems.size() == 3);
  const std::string dir = directory.path().string();
  CHECK(to_string(result.problems[0]).starts_with(dir + "/bad-key.json: /prority: unexpected key"));
  CHECK(
      to_string(result.problems[1]) ==
      dir +
          "/bad-status.json: /response/status: HTTP status must be between 100 and 599, found 600");
  CHECK(to_string(result.problems[2]) ==
        dir + "/twin.json: /name: fixture name 'good' is also used by " + dir + "/good.json");
}

TEST_CASE("fixture loading: a missing directory is a problem, not an empty layer") {
  const LoadResult result = load_fixture_set({"/nonexistent/prm-fixtures"}, contract());
  REQUIRE_FALSE(result.ok());
  CHECK(to_string(result.problems.at(0)) ==
        "/nonexistent/prm-fixtures: (file): not a readable directory");
}

TEST_CASE("check command: exit 0 with a summary when all is good") {
  TemporaryDirectory directory;
  directory.write("extra.json", fixture_json("extra", 202));
  std::ostringstream out;
  CHECK(check_fixtures({directory.path()}, contract(), out) == 0);
  const std::string expected_count =
      std::to_string(load_fixture_set({}, contract()).set->size() + 1);
  CHECK(out.str() == "ok: " + expected_count + " fixtures valid (embedded defaults, " +
                         directory.path().string() + ")\n");
  std::ostringstream defaults_only;
  CHECK(check_fixtures({}, contract(), defaults_only) == 0);
}

TEST_CASE("check command: the contract and directories come from the config") {
  TemporaryDirectory directory;
  directory.write("extra.json", fixture_json("extra", 202));
  Config config;
  config.fixture_dirs = {directory.path().string()};
  std::ostringstream out;
  std::ostringstream err;
  CHECK(run_check_command(config, out, err) == 0);
  CHECK(out.str().ends_with(", " + directory.path().string() + ")\n"));
  CHECK(err.str().empty());

  config.contract_file = "/nonexistent/contract.yaml";  // unusable: a usage error, nothing checked
  std::ostringstream no_out;
  CHECK(run_check_command(config, no_out, err) == 2);
  CHECK(no_out.str().empty());
  CHECK(err.str().starts_with("prm-mock: "));
}

TEST_CASE("check command: exit 1 and one `file: field: message` line per problem") {
  TemporaryDirectory directory;
  directory.write("a.json",
                  R"({"name": "a", "when": {"body": {"/artifact/version": {"equal": "1"}}},
      "response": {"status": 200, "body": "{{nope}}"}})");
  directory.write("b.json", "{ not json");
  std::ostringstream out;
  CHECK(check_fixtures({directory.path()}, contract(), out) == 1);
  const std::string dir = directory.path().string();
  CHECK(out.str() ==
        dir +
            "/a.json: /when/body/~1artifact~1version/equal: unexpected key 'equal' (did you mean "
            "'equals'?); allowed here: equals, matches, present\n" +
            dir + "/b.json: (file): invalid JSON at byte 2: Missing a name for object member.\n" +
            "2 problems found; the fixtures were not loaded\n");
}
