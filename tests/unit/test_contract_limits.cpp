// Contracts at and past the mock's limits: YAML numbers hundreds of thousands of digits long, $ref
// chains that nest the inlined schema deeper than the validator may recurse, regexes that cannot
// compile. Each once crashed the mock or failed at the first request instead of at load (found by
// the fuzz targets in fuzz/); they run in every build.
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <cstddef>
#include <string>

#include "contract/contract.hpp"
#include "contract/yaml_to_json.hpp"
#include "embedded_contract.hpp"
#include "test_server.hpp"

using namespace prm_mock;

namespace {

std::string nested_schema_arrays(std::size_t depth, const std::string& inside) {
  return std::string(depth, '[') + inside + std::string(depth, ']');
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

// A contract whose request schema is `schema` (YAML flow style).
std::string contract_text_with_schema(const std::string& schema) {
  return "paths:\n  /p:\n    post:\n      operationId: prm-registry-publish\n"
         "      requestBody:\n        content:\n          application/json:\n"
         "            schema: " +
         schema + "\n";
}

}  // namespace

TEST_CASE("contract limits: YAML numbers hundreds of thousands of digits long are numbers") {
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

TEST_CASE("contract limits: a chain of 5,000 $refs is a ContractError, not a crash") {
  CHECK_THROWS_WITH_AS(Contract::from_text(ref_chain_contract(5000), "chain.yaml"),
                       "chain.yaml: the request schema is nested deeper than 128 levels once its "
                       "$refs are inlined",
                       ContractError);
  // A chain well inside the limit loads and validates.
  const Contract shallow = Contract::from_text(ref_chain_contract(40), "chain.yaml");
  CHECK(shallow.validate(testing::parse(nested_schema_arrays(40, "\"s\""))).empty());
  CHECK_FALSE(shallow.validate(testing::parse(nested_schema_arrays(40, "1"))).empty());
}

TEST_CASE("contract limits: a bad regex in the contract is a ContractError at load") {
  // Once compiled lazily, at the first validation: every publish was a 500, `validate` aborted.
  const std::string schema_at = "/paths/~1p/post/requestBody/content/application~1json/schema";
  const std::string unbalanced = "c.yaml: the regex at '" + schema_at +
                                 "/patternProperties/^x-)' is invalid: Mismatched '(' and ')' in "
                                 "regular expression";
  CHECK_THROWS_WITH_AS(
      Contract::from_text(
          contract_text_with_schema("{patternProperties: {'^x-)': {type: string}}}"), "c.yaml"),
      unbalanced.c_str(), ContractError);
  const std::string nested = "the regex at '" + schema_at + "/properties/a/items/pattern'";
  CHECK_THROWS_WITH_AS(
      Contract::from_text(contract_text_with_schema("{properties: {a: {items: {pattern: '[a-'}}}}"),
                          "c.yaml"),
      doctest::Contains(nested.c_str()), ContractError);
  CHECK_THROWS_WITH_AS(
      Contract::from_text(contract_text_with_schema("{pattern: '" + std::string(1025, 'a') + "'}"),
                          "c.yaml"),
      doctest::Contains("is longer than 1024 characters"), ContractError);
  // "pattern" as a property name, or inside data, is not a regex.
  const Contract fine = Contract::from_text(
      contract_text_with_schema("{properties: {pattern: {type: string, pattern: '^[a-z]+$'}},"
                                " enum: [{pattern: '(('}], default: {pattern: '(('}}"),
      "c.yaml");
  CHECK(fine.validate(testing::parse(R"({"pattern": "1"})")).size() == 2);  // pattern and enum
}
