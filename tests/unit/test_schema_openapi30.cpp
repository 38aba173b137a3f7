// OpenAPI 3.0 documents: their schema dialect (nullable, boolean exclusive bounds, $ref replacing
// its siblings) is read as 3.0 means it, and 2020-12-only keywords are refused there.
#include <doctest/doctest.h>

#include "contract/contract.hpp"
#include "schema_fragment.hpp"

using prm_mock::Contract;
using prm_mock::ContractError;
using prm_mock::testing::contract_with_schema;
using prm_mock::testing::Lines;
using prm_mock::testing::violation_lines;

TEST_CASE("OpenAPI 3.0: nullable adds null to the type") {
  const Contract nullable = contract_with_schema(
      R"({"type": "object", "properties": {"nick": {"type": "string", "nullable": true},
          "age": {"type": "integer", "nullable": false}, "any": {"nullable": true}}})",
      "3.0.3");
  CHECK(violation_lines(nullable, R"({"nick": null, "nick2": 1, "any": null})").empty());
  CHECK(violation_lines(nullable, R"({"nick": "n"})").empty());
  CHECK(violation_lines(nullable, R"({"nick": 1, "age": null})") ==
        Lines{"/age type", "/nick type"});
  const auto violations = nullable.validate(prm_mock::testing::request_body(R"({"nick": 1})"));
  REQUIRE(violations.size() == 1);
  CHECK(violations[0].message == "expected string or null, found number");
}

TEST_CASE("OpenAPI 3.0: boolean exclusiveMinimum and exclusiveMaximum make the bound exclusive") {
  const Contract bounded = contract_with_schema(
      R"({"type": "object", "properties": {
          "n": {"type": "number", "minimum": 0, "exclusiveMinimum": true,
                "maximum": 10, "exclusiveMaximum": false}}})",
      "3.0.3");
  CHECK(violation_lines(bounded, R"({"n": 0.5})").empty());
  CHECK(violation_lines(bounded, R"({"n": 10})").empty());
  CHECK(violation_lines(bounded, R"({"n": 0})") == Lines{"/n exclusiveMinimum"});
  CHECK(violation_lines(bounded, R"({"n": 10.5})") == Lines{"/n maximum"});
}

TEST_CASE("OpenAPI 3.0: members beside a $ref are ignored; 3.1 applies them") {
  const char* schema =
      R"({"type": "object", "properties": {"s": {"$ref": "#/components/schemas/S", "maxLength": 1}}})";
  const char* components = R"({"schemas": {"S": {"type": "string"}}})";
  CHECK(violation_lines(contract_with_schema(schema, "3.0.3", components), R"({"s": "abc"})")
            .empty());
  CHECK(violation_lines(contract_with_schema(schema, "3.1.0", components), R"({"s": "abc"})") ==
        Lines{"/s maxLength"});
}

TEST_CASE("OpenAPI 3.0: example is an annotation; keywords 3.0 lacks are refused") {
  const Contract annotated =
      contract_with_schema(R"({"type": "string", "example": 42, "x-note": 1})", "3.0.3");
  CHECK(violation_lines(annotated, R"("s")").empty());
  CHECK_THROWS_WITH_AS(contract_with_schema(R"({"properties": {"k": {"const": 1}}})", "3.0.3"),
                       doctest::Contains("'const' at '/paths/~1p/post/requestBody/content/"
                                         "application~1json/schema/properties/k/const' is not a "
                                         "keyword of OpenAPI 3.0"),
                       ContractError);
  CHECK_THROWS_WITH_AS(contract_with_schema(R"({"type": ["string", "null"]})", "3.0.3"),
                       doctest::Contains("nullable"), ContractError);
  CHECK_THROWS_WITH_AS(contract_with_schema(R"({"exclusiveMinimum": 3})", "3.0.3"),
                       doctest::Contains("must be a boolean in OpenAPI 3.0"), ContractError);
  // And the 3.0 forms are refused in a 3.1 document, with the reason.
  CHECK_THROWS_WITH_AS(contract_with_schema(R"({"type": "string", "nullable": true})", "3.1.0"),
                       doctest::Contains("'nullable'"), ContractError);
  CHECK_THROWS_WITH_AS(contract_with_schema(R"({"minimum": 0, "exclusiveMinimum": true})", "3.1.0"),
                       doctest::Contains("must be a number (a boolean here is OpenAPI 3.0's form"),
                       ContractError);
}
