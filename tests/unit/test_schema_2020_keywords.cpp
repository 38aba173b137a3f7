// JSON Schema 2020-12 keywords (OpenAPI 3.1's dialect) that draft 7 lacks: each is enforced, and
// anything the mock cannot enforce stops the contract from loading, naming the keyword and where.
#include <doctest/doctest.h>

#include "contract/contract.hpp"
#include "schema_fragment.hpp"

using prm_mock::Contract;
using prm_mock::ContractError;
using prm_mock::testing::contract_with_schema;
using prm_mock::testing::Lines;
using prm_mock::testing::violation_lines;

TEST_CASE("2020-12: prefixItems checks each position; items applies only after the prefix") {
  const Contract tuple = contract_with_schema(
      R"({"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}],
          "items": {"type": "boolean"}})");
  CHECK(violation_lines(tuple, R"(["sum", 7])").empty());
  CHECK(violation_lines(tuple, R"(["sum", 7, true, false])").empty());
  CHECK(violation_lines(tuple, R"([])").empty());
  CHECK(violation_lines(tuple, R"([7, "sum", 1])") == Lines{"/0 type", "/1 type", "/2 type"});

  const Contract closed = contract_with_schema(
      R"({"type": "array", "prefixItems": [{"type": "string"}], "items": false})");
  CHECK(violation_lines(closed, R"(["a"])").empty());
  CHECK(violation_lines(closed, R"(["a", 1, 2])") == Lines{"/1 items", "/2 items"});
}

TEST_CASE("2020-12: dependentRequired names the missing property") {
  const Contract card = contract_with_schema(
      R"({"type": "object", "dependentRequired": {"card": ["billing", "cvc"]}})");
  CHECK(violation_lines(card, R"({})").empty());
  CHECK(violation_lines(card, R"({"card": 1, "billing": 2, "cvc": 3})").empty());
  CHECK(violation_lines(card, R"({"card": 1, "cvc": 3})") == Lines{"/billing dependentRequired"});
  const auto violations = card.validate(prm_mock::testing::request_body(R"({"card": 1})"));
  REQUIRE(violations.size() == 2);
  CHECK(violations[0].message == "missing property 'billing', required when 'card' is present");
}

TEST_CASE("2020-12: dependentSchemas apply when their property is present") {
  const Contract card = contract_with_schema(
      R"({"type": "object", "dependentSchemas": {"card": {"required": ["cvc"],
          "properties": {"cvc": {"type": "string"}}}}})");
  CHECK(violation_lines(card, R"({"cvc": 2})").empty());
  CHECK(violation_lines(card, R"({"card": 1})") == Lines{"/cvc required"});
  CHECK(violation_lines(card, R"({"card": 1, "cvc": 2})") == Lines{"/cvc type"});
}

TEST_CASE("2020-12: unevaluatedProperties sees through allOf, anyOf and if/then") {
  const Contract closed = contract_with_schema(
      R"({"type": "object",
          "allOf": [{"properties": {"a": {"type": "string"}}}],
          "anyOf": [{"properties": {"b": {}}, "required": ["b"]}, {"properties": {"c": {}}}],
          "if": {"properties": {"kind": {"const": "x"}}, "required": ["kind"]},
          "then": {"properties": {"x": {}}},
          "properties": {"kind": {}},
          "unevaluatedProperties": false})");
  CHECK(violation_lines(closed, R"({"a": "s", "b": 1, "c": 2})").empty());
  CHECK(violation_lines(closed, R"({"kind": "x", "x": 1})").empty());
  CHECK(violation_lines(closed, R"({"a": "s", "d": 1})") == Lines{"/d unevaluatedProperties"});
  CHECK(violation_lines(closed, R"({"kind": "y", "x": 1})") == Lines{"/x unevaluatedProperties"});
  // A failing anyOf branch evaluates nothing: with n = 1.5 the first branch fails, so "n" falls
  // to unevaluatedProperties and must be a string.
  const Contract typed = contract_with_schema(
      R"({"anyOf": [{"properties": {"n": {"type": "integer"}}}, {"properties": {"m": {}}}],
          "unevaluatedProperties": {"type": "string"}})");
  CHECK(violation_lines(typed, R"({"n": 1, "z": "s"})").empty());
  CHECK(violation_lines(typed, R"({"n": 1, "z": 2})") == Lines{"/z type"});
  CHECK(violation_lines(typed, R"({"n": 1.5})") == Lines{"/n type"});
}

TEST_CASE("2020-12: unevaluatedItems counts prefixItems and contains") {
  const Contract closed = contract_with_schema(
      R"({"type": "array", "prefixItems": [{"type": "string"}],
          "allOf": [{"contains": {"const": 42}}], "unevaluatedItems": false})");
  CHECK(violation_lines(closed, R"(["a", 42, 42])").empty());
  CHECK(violation_lines(closed, R"(["a", 42, 7])") == Lines{"/2 unevaluatedItems"});
}

TEST_CASE("2020-12: minContains and maxContains bound how many items match contains") {
  const Contract counted = contract_with_schema(
      R"({"type": "array", "contains": {"type": "integer"}, "minContains": 2,
          "maxContains": 3})");
  CHECK(violation_lines(counted, R"([1, "a", 2])").empty());
  CHECK(violation_lines(counted, R"([1, "a"])") == Lines{" minContains"});
  CHECK(violation_lines(counted, R"(["a"])") == Lines{" minContains"});
  CHECK(violation_lines(counted, R"([1, 2, 3, 4])") == Lines{" maxContains"});
  const Contract optional = contract_with_schema(
      R"({"type": "array", "contains": {"type": "integer"}, "minContains": 0})");
  CHECK(violation_lines(optional, R"(["a"])").empty());
  const Contract plain = contract_with_schema(R"({"contains": {"type": "integer"}})");
  CHECK(violation_lines(plain, R"(["a"])") == Lines{" contains"});
}

TEST_CASE("2020-12: keywords the mock cannot honour stop the load, naming keyword and place") {
  const std::string at = "/paths/~1p/post/requestBody/content/application~1json/schema";
  CHECK_THROWS_WITH_AS(
      contract_with_schema(R"({"properties": {"a": {"$dynamicRef": "#meta"}}})"),
      doctest::Contains(("'$dynamicRef' at '" + at + "/properties/a/$dynamicRef'").c_str()),
      ContractError);
  CHECK_THROWS_WITH_AS(contract_with_schema(R"({"properties": {"a": {"minLenght": 3}}})"),
                       doctest::Contains("unknown keyword 'minLenght'"), ContractError);
  CHECK_THROWS_WITH_AS(contract_with_schema(R"({"items": [{"type": "string"}]})"),
                       doctest::Contains("prefixItems"), ContractError);
  CHECK_THROWS_WITH_AS(contract_with_schema(R"({"dependencies": {"a": ["b"]}})"),
                       doctest::Contains("dependentRequired"), ContractError);
  CHECK_THROWS_WITH_AS(
      contract_with_schema(R"({"$schema": "http://json-schema.org/draft-07/schema#"})"),
      doctest::Contains("'$schema'"), ContractError);
  CHECK_THROWS_WITH_AS(Contract::from_text(prm_mock::testing::document_with_schema("{}", "3.1.0") +
                                               "jsonSchemaDialect: https://example.test/dialect\n",
                                           "d.yaml"),
                       doctest::Contains("jsonSchemaDialect"), ContractError);
  CHECK_THROWS_WITH_AS(contract_with_schema("{}", "2.0"),
                       doctest::Contains("OpenAPI version '2.0' is not supported"), ContractError);
  // Annotations and extensions load and assert nothing.
  const Contract annotated = contract_with_schema(
      R"({"title": "t", "description": "d", "examples": [1], "deprecated": true,
          "x-vendor": {"anything": true}, "$comment": "c", "readOnly": false,
          "$schema": "https://json-schema.org/draft/2020-12/schema"})");
  CHECK(violation_lines(annotated, "42").empty());
}
