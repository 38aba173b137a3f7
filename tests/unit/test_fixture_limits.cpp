// Fixtures and request bodies at and past the mock's limits: nesting, regex size and features,
// huge values and numbers past the largest double. Each input here once overflowed the stack or
// produced broken JSON (found by the fuzz targets in fuzz/); they run in every build, not only
// the clang fuzz build. The inputs are built here, not stored: megabytes of the same character.
#include <doctest/doctest.h>
#include <httplib.h>
#include <rapidjson/document.h>

#include <memory>
#include <string>

#include "contract/contract.hpp"
#include "contract/yaml_to_json.hpp"
#include "embedded_contract.hpp"
#include "fixture_problem_lines.hpp"
#include "publish/json_body.hpp"
#include "stubs/fixture_compiler.hpp"
#include "stubs/response_renderer.hpp"
#include "temporary_directory.hpp"
#include "test_server.hpp"

using namespace prm_mock;

namespace {

using prm_mock::testing::contract;
using prm_mock::testing::problem_lines;

std::string fixture_problems_of(const std::string& fixture_json) {
  FixtureProblems problems;
  compile_fixture(fixture_json, "f.json", contract(), problems);
  const std::string lines = problem_lines(problems);
  return lines;
}

std::shared_ptr<const Fixture> compiled_fixture(const std::string& fixture_json) {
  FixtureProblems problems;
  auto fixture = compile_fixture(fixture_json, "f.json", contract(), problems);
  const std::string lines = problem_lines(problems);
  INFO(lines);
  REQUIRE(fixture != nullptr);
  return fixture;
}

std::string nested_arrays_around(std::size_t depth, const std::string& inside = "") {
  return std::string(depth, '[') + inside + std::string(depth, ']');
}

// A body with `model` set to `model`, as a parsed document.
rapidjson::Document body_with_model(const std::string& model) {
  return testing::parse(testing::valid_body_with("/artifact/model", "\"" + model + "\""));
}

}  // namespace
TEST_CASE("fixture limits: a fixture nested 100,000 levels deep is a problem, not a crash") {
  const std::string deep_body =
      R"({"name": "x", "response": {"status": 200, "body": )" + nested_arrays_around(100000) + "}}";
  CHECK(fixture_problems_of(deep_body) == "f.json: (file): nested deeper than 512 levels\n");
}

TEST_CASE("fixture limits: a fixture nested to the limit still loads and renders") {
  // The document and "response" are two levels; 510 arrays make 512.
  const auto fixture = compiled_fixture(R"({"name": "x", "response": {"status": 200, "body": )" +
                                        nested_arrays_around(510, R"("{{requestId}}")") + "}}");
  const httplib::Headers headers;
  const rapidjson::Document body = testing::parse(testing::kValidBody);
  const RenderedResponse response = render(*fixture, {headers, body, "rid"});
  CHECK(response.body == nested_arrays_around(510, R"("rid")"));
}

TEST_CASE("fixture limits: a regex longer than 1024 characters is a problem, not a crash") {
  // 50,000 nested groups overflowed libstdc++'s recursive regex compiler.
  const std::string groups = std::string(50000, '(') + std::string(50000, ')');
  const std::string fixture =
      R"({"name": "x", "when": {"body": {"/artifact/model": {"matches": ")" + groups +
      R"("}}}, "response": {"status": 200}})";
  CHECK(fixture_problems_of(fixture) ==
        "f.json: /when/body/~1artifact~1model/matches: regex longer than 1024 characters\n");
}

TEST_CASE("fixture limits: a 100,000-character value is matched against a fixture regex") {
  // The backtracking matcher recursed once per character: 30,000 overflowed a worker's stack under
  // ASan, 100,000 an optimised build's main thread.
  const auto fixture = compiled_fixture(
      R"({"name": "x", "when": {"body": {"/artifact/model": {"matches": "^claude-[a-z0-9.-]+$"}},)"
      R"( "headers": {"X-Trace": {"matches": "^(ab|cd)+$"}}}, "response": {"status": 200}})");
  const std::string long_model = "claude-" + std::string(100000, 'a');
  const rapidjson::Document matching = body_with_model(long_model);
  const rapidjson::Document not_matching = body_with_model(long_model + "!");
  const httplib::Headers trace = {{"X-Trace", std::string(20000, 'a') + std::string(20000, 'b')}};
  std::string alternating;
  for (int i = 0; i < 20000; ++i) alternating += i % 2 == 0 ? "ab" : "cd";
  const httplib::Headers good_trace = {{"X-Trace", alternating}};
  CHECK(fixture->when.matches({good_trace, matching, "r"}));
  CHECK_FALSE(fixture->when.matches({good_trace, not_matching, "r"}));
  CHECK_FALSE(fixture->when.matches({trace, matching, "r"}));
}

TEST_CASE("fixture limits: back-references in a fixture regex are a load problem") {
  // The non-recursive matcher has none; a clear problem at load beats a surprise at request time.
  const std::string lines = fixture_problems_of(
      R"({"name": "x", "when": {"body": {"/artifact/model": {"matches": "(a)\\1"}}},)"
      R"( "response": {"status": 200}})");
  CHECK(lines.starts_with("f.json: /when/body/~1artifact~1model/matches: invalid regex '(a)\\1'"));
}

TEST_CASE("fixture limits: the server answers a 100,000-character value a fixture regex reads") {
  testing::TemporaryDirectory fixtures;
  fixtures.write("model.json", R"({"name": "model-regex", "priority": 5, "when": {"body":)"
                               R"( {"/artifact/model": {"matches": "^claude-[a-z0-9.-]+$"}}},)"
                               R"( "response": {"status": 201}})");
  Config config = testing::quiet_config();
  config.fixture_dirs = {fixtures.path().string()};
  testing::RunningServer mock(config);
  const std::string long_model = "claude-" + std::string(100000, 'a');
  const auto answer =
      mock.publish(testing::valid_body_with("/artifact/model", "\"" + long_model + "\""));
  REQUIRE(answer);
  CHECK(answer->status == 201);
  CHECK(answer->get_header_value("X-Mock-Fixture") == "model-regex");
}

TEST_CASE("input limits: numbers past the largest double are refused, not turned to infinity") {
  // RapidJSON 1.1 parsed 5551e308 (unlike 1e309) to infinity without an error, and then wrote
  // nothing for it: a fixture body or an echoed request value came out as broken JSON.
  rapidjson::Document parsed;
  const auto too_big = parse_json_body(R"({"a": 5551e308})", parsed, 256);
  const auto reference = parse_json_body(R"({"a": 1e309})", parsed, 256);
  REQUIRE(too_big);
  REQUIRE(reference);
  CHECK(too_big->code == "MALFORMED_JSON");
  CHECK(too_big->message == reference->message);
  CHECK(too_big->offset == 6);
  CHECK(fixture_problems_of(
            R"({"name": "x", "response": {"status": 200, "body": {"n": [1, 5551e308]}}})") ==
        "f.json: /response/body/n/1: number too big to be stored in a double\n");
  const rapidjson::Document yaml = yaml_to_json("a: 5551e308\nb: 1e400\n", "t.yaml");
  CHECK(yaml["a"] == "5551e308");
  CHECK(yaml["b"] == "1e400");
}
