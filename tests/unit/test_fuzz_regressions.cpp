// Inputs the fuzz targets in fuzz/ (and the directed inputs that confirmed their findings) crashed
// the mock with: each one overflowed the stack before its fix. These run in every build, not only
// the clang fuzz build, so an optimised GCC build proves the same. The inputs are built here, not
// stored: they are megabytes of the same character.
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

std::shared_ptr<const Fixture> compiled(const std::string& fixture_json) {
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

// An OpenAPI document whose request schema is `$ref: D0`, where D0's items are D1, and so on for
// `links` links: every link nests the inlined schema one level deeper.
std::string ref_chain_contract(int links) {
  std::string text =
      "paths:\n  /p:\n    post:\n      operationId: prm-registry-publish\n"
      "      requestBody:\n        content:\n          application/json:\n"
      "            schema: {$ref: '#/components/schemas/D0'}\ncomponents:\n  schemas:\n";
  for (int i = 0; i < links; ++i) {
    text += "    D" + std::to_string(i) + ": {type: array, items: {$ref: '#/components/schemas/D" +
            std::to_string(i + 1) + "'}}\n";
  }
  return text + "    D" + std::to_string(links) + ": {type: string}\n";
}

}  // namespace

TEST_CASE("fuzz regression: a fixture nested 100,000 levels deep is a problem, not a crash") {
  const std::string deep_body =
      R"({"name": "x", "response": {"status": 200, "body": )" + nested_arrays_around(100000) + "}}";
  CHECK(fixture_problems_of(deep_body) == "f.json: (file): nested deeper than 512 levels\n");
}

TEST_CASE("fuzz regression: a fixture nested to the limit still loads and renders") {
  // The document and "response" are two levels; 510 arrays make 512.
  const auto fixture = compiled(R"({"name": "x", "response": {"status": 200, "body": )" +
                                nested_arrays_around(510, R"("{{requestId}}")") + "}}");
  const httplib::Headers headers;
  const rapidjson::Document body = testing::parse(testing::kValidBody);
  const RenderedResponse response = render(*fixture, {headers, body, "rid"});
  CHECK(response.body == nested_arrays_around(510, R"("rid")"));
}

TEST_CASE("fuzz regression: a regex longer than 1024 characters is a problem, not a crash") {
  // 50,000 nested groups overflowed libstdc++'s recursive regex compiler.
  const std::string groups = std::string(50000, '(') + std::string(50000, ')');
  const std::string fixture =
      R"({"name": "x", "when": {"body": {"/artifact/model": {"matches": ")" + groups +
      R"("}}}, "response": {"status": 200}})";
  CHECK(fixture_problems_of(fixture) ==
        "f.json: /when/body/~1artifact~1model/matches: regex longer than 1024 characters\n");
}

TEST_CASE("fuzz regression: a 100,000-character value is matched against a fixture regex") {
  // The backtracking matcher recursed once per character: 30,000 overflowed a worker's stack under
  // ASan, 100,000 an optimised build's main thread.
  const auto fixture = compiled(
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

TEST_CASE("fuzz regression: back-references in a fixture regex are a load problem") {
  // The non-recursive matcher has none; a clear problem at load beats a surprise at request time.
  const std::string lines = fixture_problems_of(
      R"({"name": "x", "when": {"body": {"/artifact/model": {"matches": "(a)\\1"}}},)"
      R"( "response": {"status": 200}})");
  CHECK(lines.starts_with("f.json: /when/body/~1artifact~1model/matches: invalid regex '(a)\\1'"));
}

TEST_CASE("fuzz regression: the server answers a 100,000-character value a fixture regex reads") {
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

TEST_CASE("fuzz regression: YAML numbers hundreds of thousands of digits long are numbers") {
  // The number syntax used std::regex, which recursed once per digit.
  const std::string digits(300000, '1');
  const rapidjson::Document integer = yaml_to_json("a: " + digits + "\n", "t.yaml");
  CHECK(integer["a"] == digits.c_str());  // too large for a double: kept as text, like .inf
  const rapidjson::Document decimal = yaml_to_json("a: 0." + digits + "\n", "t.yaml");
  REQUIRE(decimal["a"].IsDouble());
  CHECK(decimal["a"].GetDouble() == doctest::Approx(0.1111111));
  const rapidjson::Document word = yaml_to_json("a: " + digits + "x\n", "t.yaml");
  CHECK(word["a"].IsString());
}

TEST_CASE("fuzz regression: a chain of 5,000 $refs is a ContractError, not a crash") {
  CHECK_THROWS_WITH_AS(Contract::from_text(ref_chain_contract(5000), "chain.yaml"),
                       "chain.yaml: the request schema is nested deeper than 128 levels once its "
                       "$refs are inlined",
                       ContractError);
  // A chain well inside the limit loads and validates.
  const Contract shallow = Contract::from_text(ref_chain_contract(40), "chain.yaml");
  CHECK(shallow.validate(testing::parse(nested_arrays_around(40, "\"s\""))).empty());
  CHECK_FALSE(shallow.validate(testing::parse(nested_arrays_around(40, "1"))).empty());
}

TEST_CASE("fuzz regression: numbers past the largest double are refused, not turned to infinity") {
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

namespace {

// A contract whose request schema is `schema` (YAML flow style).
std::string contract_with_schema(const std::string& schema) {
  return "paths:\n  /p:\n    post:\n      operationId: prm-registry-publish\n"
         "      requestBody:\n        content:\n          application/json:\n"
         "            schema: " +
         schema + "\n";
}

}  // namespace

TEST_CASE("fuzz regression: a bad regex in the contract is a ContractError at load") {
  // valijson compiled it at the first validation: every publish was a 500, `validate` aborted.
  const std::string schema_at = "/paths/~1p/post/requestBody/content/application~1json/schema";
  const std::string unbalanced = "c.yaml: the regex at '" + schema_at +
                                 "/patternProperties/^x-)' is invalid: Mismatched '(' and ')' in "
                                 "regular expression";
  CHECK_THROWS_WITH_AS(
      Contract::from_text(contract_with_schema("{patternProperties: {'^x-)': {type: string}}}"),
                          "c.yaml"),
      unbalanced.c_str(), ContractError);
  const std::string nested = "the regex at '" + schema_at + "/properties/a/items/pattern'";
  CHECK_THROWS_WITH_AS(
      Contract::from_text(contract_with_schema("{properties: {a: {items: {pattern: '[a-'}}}}"),
                          "c.yaml"),
      doctest::Contains(nested.c_str()), ContractError);
  CHECK_THROWS_WITH_AS(
      Contract::from_text(contract_with_schema("{pattern: '" + std::string(1025, 'a') + "'}"),
                          "c.yaml"),
      doctest::Contains("is longer than 1024 characters"), ContractError);
  // "pattern" as a property name, or inside data, is not a regex.
  const Contract fine = Contract::from_text(
      contract_with_schema("{properties: {pattern: {type: string, pattern: '^[a-z]+$'}},"
                           " enum: [{pattern: '(('}], default: {pattern: '(('}}"),
      "c.yaml");
  CHECK(fine.validate(testing::parse(R"({"pattern": "1"})")).size() == 2);  // pattern and enum
}
