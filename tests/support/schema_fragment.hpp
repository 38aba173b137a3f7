#pragma once
// Contracts built around one request schema, and violations flattened to comparable lines, for
// the tests of what the contract's schema keywords mean. Inline functions, so every test file of a
// unity batch shares one definition.
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <string>
#include <string_view>
#include <vector>

#include "contract/contract.hpp"
#include "publish/json_body.hpp"

namespace prm_mock::testing {

// An OpenAPI document whose publish operation takes `schema` (JSON, which is YAML) as its request
// body, with `components` (JSON, "{}" for none) beside it.
inline std::string document_with_schema(std::string_view schema, std::string_view openapi = "3.1.0",
                                        std::string_view components = "{}") {
  return "openapi: '" + std::string(openapi) +
         "'\ninfo: {title: t, version: '1'}\npaths:\n  /p:\n    post:\n"
         "      operationId: prm-registry-publish\n      requestBody:\n        content:\n"
         "          application/json:\n            schema: " +
         std::string(schema) + "\ncomponents: " + std::string(components) + "\n";
}

inline Contract contract_with_schema(std::string_view schema, std::string_view openapi = "3.1.0",
                                     std::string_view components = "{}",
                                     const ContractOptions& options = {}) {
  return Contract::from_text(document_with_schema(schema, openapi, components), "test.yaml",
                             options);
}

// `body` parsed as the server parses request bodies.
inline rapidjson::Document request_body(std::string_view body) {
  rapidjson::Document document;
  const auto error = parse_json_body(body, document, 256);
  REQUIRE_MESSAGE(!error, "test body is not JSON: " << body);
  return document;
}

// "pointer keyword" for each violation of `body`, in the contract's order.
inline std::vector<std::string> violation_lines(const Contract& contract, std::string_view body) {
  std::vector<std::string> lines;
  for (const Violation& violation : contract.validate(request_body(body))) {
    lines.push_back(violation.pointer + " " + violation.keyword);
  }
  return lines;
}

using Lines = std::vector<std::string>;

}  // namespace prm_mock::testing
