// Every violation carries the JSON Pointer of the value at fault, found by the walk over the body,
// and no failure hides another: all allOf branches, all patternProperties members, bad property
// names beside other problems.
#include <doctest/doctest.h>

#include <string>

#include "contract/contract.hpp"
#include "schema_fragment.hpp"

using prm_mock::Contract;
using prm_mock::testing::contract_with_schema;
using prm_mock::testing::Lines;
using prm_mock::testing::request_body;
using prm_mock::testing::violation_lines;

TEST_CASE("pointers: a bad property name points at that property, beside other violations") {
  const Contract named = contract_with_schema(
      R"({"type": "object", "propertyNames": {"maxLength": 3},
          "properties": {"x": {"type": "string"}}})");
  CHECK(violation_lines(named, R"({"long-name": 1, "x": 2})") ==
        Lines{"/long-name propertyNames", "/x type"});
  const auto violations = named.validate(request_body(R"({"a/b~c": 1})"));
  REQUIRE(violations.size() == 1);
  CHECK(violations[0].pointer == "/a~1b~0c");
  CHECK(violations[0].message ==
        "property name 'a/b~c': string should be no more than 3 characters in length");
}

TEST_CASE("pointers: every failing allOf branch is reported") {
  const Contract both = contract_with_schema(
      R"({"allOf": [{"required": ["a"]}, {"required": ["b"]},
                    {"properties": {"c": {"type": "string"}}}]})");
  CHECK(violation_lines(both, R"({"c": 1})") == Lines{"/a required", "/b required", "/c type"});
}

TEST_CASE("pointers: every patternProperties member that fails is reported") {
  const Contract numbered =
      contract_with_schema(R"({"patternProperties": {"^n-": {"type": "integer"},
                                                     "-x$": {"minimum": 10}}})");
  CHECK(violation_lines(numbered, R"({"n-1": "x", "n-2": "y", "n-3": 3})") ==
        Lines{"/n-1 type", "/n-2 type"});
  // A member matching two patterns answers to both.
  CHECK(violation_lines(numbered, R"({"n-x": 2.5})") == Lines{"/n-x minimum", "/n-x type"});
}

TEST_CASE("pointers: additionalProperties false reached through allOf and $ref") {
  const char* components = R"({"schemas": {"Closed": {"type": "object",
      "properties": {"a": {"type": "string"}, "it's": {}}, "additionalProperties": false}}})";
  const Contract through_all_of = contract_with_schema(
      R"({"type": "object", "properties": {"o": {"allOf": [{"$ref": "#/components/schemas/Closed"}]}}})",
      "3.1.0", components);
  CHECK(violation_lines(through_all_of, R"({"o": {"a": "x", "it's": 1}})").empty());
  CHECK(violation_lines(through_all_of, R"({"o": {"a": "x", "extra": 1, "more'": 2}})") ==
        Lines{"/o/extra additionalProperties", "/o/more' additionalProperties"});
  // A $ref with a sibling keyword (combined through allOf by the inliner).
  const Contract with_sibling = contract_with_schema(
      R"({"$ref": "#/components/schemas/Closed", "required": ["a"]})", "3.1.0", components);
  CHECK(violation_lines(with_sibling, R"({"b/c": 1})") ==
        Lines{"/a required", "/b~1c additionalProperties"});
  const auto violations = with_sibling.validate(request_body(R"({"a": "x", "b/c": 1})"));
  REQUIRE(violations.size() == 1);
  CHECK(violations[0].message == "property 'b/c' is not allowed here");
}

TEST_CASE("pointers: a false schema points at the value it refuses") {
  const Contract refusing = contract_with_schema(
      R"({"properties": {"gone": false, "a": {"allOf": [false]},
                         "list": {"prefixItems": [true, false]}}})");
  CHECK(violation_lines(refusing, R"({"x": 1})").empty());
  CHECK(violation_lines(refusing, R"({"gone": 1, "a": 2, "list": [1, 2]})") ==
        Lines{"/a false", "/gone properties", "/list/1 prefixItems"});
  const Contract nothing = contract_with_schema("false");
  CHECK(violation_lines(nothing, "{}") == Lines{" false"});
}

TEST_CASE("pointers: anyOf and oneOf failures point at the value and say why each branch failed") {
  const Contract either = contract_with_schema(
      R"({"properties": {"v": {"anyOf": [{"type": "string"}, {"type": "integer", "minimum": 3}]},
                         "w": {"oneOf": [{"type": "integer"}, {"minimum": 0}]}}})");
  CHECK(violation_lines(either, R"({"v": "s", "w": -1})").empty());
  const auto violations = either.validate(request_body(R"({"v": 1, "w": 2})"));
  REQUIRE(violations.size() == 2);
  CHECK(violations[0].pointer == "/v");
  CHECK(violations[0].keyword == "anyOf");
  CHECK(violations[0].message ==
        "matches none of the 2 alternatives in anyOf: 0: expected string, found number; 1: "
        "expected a number greater than or equal to 3, found 1");
  CHECK(violations[1].pointer == "/w");
  CHECK(violations[1].message == "matches alternatives 0 and 1 of oneOf; exactly one must match");
}

TEST_CASE("pointers: uniqueItems points at the repeated item") {
  const Contract unique = contract_with_schema(R"({"uniqueItems": true})");
  CHECK(violation_lines(unique, R"([1, {"a": 1, "b": 2}, "x"])").empty());
  CHECK(violation_lines(unique,
                        R"([1, {"a": 1, "b": 2}, 1.0, {"b": 2, "a": 1}, {"a": 2, "b": 1}])") ==
        Lines{"/2 uniqueItems", "/3 uniqueItems"});
}
