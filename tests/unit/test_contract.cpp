// valijson's RapidJSON adapter must precede every RapidJSON header (it redefines RAPIDJSON_ASSERT).
// clang-format off
#include <valijson/adapters/rapidjson_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>
// clang-format on

#include <doctest/doctest.h>
#include <rapidjson/pointer.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <thread>
#include <vector>

#include "contract/contract.hpp"
#include "contract/embedded_files.hpp"
#include "contract/yaml_to_json.hpp"
#include "embedded_contract.hpp"

namespace {

using prm_mock::Contract;
using prm_mock::ContractError;
using prm_mock::Violation;
using prm_mock::Violations;

constexpr const char* kArtifact =
    "RegistriesArtifactsPostRequestBodyContentApplicationJsonSchemaArtifact";
constexpr const char* kArtifactSchema =
    "RegistriesArtifactsPostRequestBodyContentApplicationJsonSchemaArtifactSchema";

// The vendor's own minimal example: schema, components and metadata empty.
constexpr const char* kMinimalBody = R"({
  "registryRef": "acme/prompts",
  "artifact": {
    "prompt": "greet", "version": "1.0.0", "model": "gpt-4o", "compiled": "Hello {{name}}",
    "hash": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "schema": {}, "components": {}, "metadata": {}
  }
})";

using prm_mock::testing::contract;

std::string embedded_text() {
  const auto text = prm_mock::embedded_file("schemas/prm-registry-publish.openapi.yaml");
  REQUIRE(text.has_value());
  return std::string(*text);
}

// `text` with its only occurrence of `from` replaced by `to`.
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  REQUIRE(text.find(from, at + 1) == std::string::npos);
  return text.replace(at, from.size(), to);
}

rapidjson::Document parsed(const std::string& json) {
  rapidjson::Document document;
  document.Parse(json.c_str(), json.size());
  REQUIRE_FALSE(document.HasParseError());
  return document;
}

// The minimal body with one JSON Pointer set to `json` (or removed when `json` is empty).
rapidjson::Document contract_body_with(const char* pointer, const std::string& json) {
  rapidjson::Document body = parsed(kMinimalBody);
  const rapidjson::Pointer where(pointer);
  if (json.empty()) {
    REQUIRE(where.Erase(body));
  } else {
    const rapidjson::Document value = parsed(json);
    where.Set(body, value, body.GetAllocator());  // const: copies into body's allocator
  }
  return body;
}

std::string serialised(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

void check_only(const Violations& violations, const std::string& pointer,
                const std::string& keyword, const std::string& message) {
  REQUIRE(violations.size() == 1);
  CHECK(violations[0].location == "body");
  CHECK(violations[0].pointer == pointer);
  CHECK(violations[0].keyword == keyword);
  CHECK(violations[0].message == message);
}

}  // namespace

TEST_CASE("contract: the embedded document names the operation, route and base path") {
  CHECK(contract().server_base_path() == "/api");
  CHECK(contract().operation_path() == "/registries/artifacts");
  CHECK(contract().operation_method() == "POST");
  CHECK(contract().document()["openapi"] == "3.1.0");
}

TEST_CASE("contract: the vendor's minimal body is valid") {
  CHECK(contract().validate(parsed(kMinimalBody)).empty());
}

TEST_CASE("contract: required properties, at the top level and in artifact") {
  const Violations top = contract().validate(parsed("{}"));
  REQUIRE(top.size() == 2);
  CHECK(top[0].pointer == "/artifact");
  CHECK(top[0].keyword == "required");
  CHECK(top[0].message == "missing required property 'artifact'");
  CHECK(top[1].pointer == "/registryRef");
  CHECK(top[1].message == "missing required property 'registryRef'");

  for (const char* name :
       {"prompt", "version", "model", "compiled", "hash", "schema", "components", "metadata"}) {
    CAPTURE(name);
    const std::string pointer = std::string("/artifact/") + name;
    check_only(contract().validate(contract_body_with(pointer.c_str(), "")), pointer, "required",
               std::string("missing required property '") + name + "'");
  }
  // Optional members may be left out.
  CHECK(contract().validate(contract_body_with("/artifact/body", "\"text\"")).empty());
  CHECK(contract().validate(contract_body_with("/artifact/tools", R"({"search": "v1"})")).empty());
}

TEST_CASE("contract: each string field has type string") {
  for (const char* pointer :
       {"/registryRef", "/artifact/prompt", "/artifact/version", "/artifact/model",
        "/artifact/body", "/artifact/compiled", "/artifact/hash", "/artifact/schema/input",
        "/artifact/schema/output"}) {
    CAPTURE(pointer);
    check_only(contract().validate(contract_body_with(pointer, "42")), pointer, "type",
               "expected string, found number");
    check_only(contract().validate(contract_body_with(pointer, "null")), pointer, "type",
               "expected string, found null");
  }
  check_only(contract().validate(contract_body_with("/artifact/version", "[1, 2]")),
             "/artifact/version", "type", "expected string, found array");
}

TEST_CASE("contract: objects must be objects") {
  for (const char* pointer : {"/artifact", "/artifact/schema", "/artifact/components",
                              "/artifact/tools", "/artifact/metadata"}) {
    CAPTURE(pointer);
    check_only(contract().validate(contract_body_with(pointer, "\"x\"")), pointer, "type",
               "expected object, found string");
    check_only(contract().validate(contract_body_with(pointer, "true")), pointer, "type",
               "expected object, found boolean");
  }
}

TEST_CASE("contract: the whole body must be an object") {
  check_only(contract().validate(parsed("[]")), "", "type", "expected object, found array");
  check_only(contract().validate(parsed("\"x\"")), "", "type", "expected object, found string");
  check_only(contract().validate(parsed("3.5")), "", "type", "expected object, found number");
  check_only(contract().validate(parsed("null")), "", "type", "expected object, found null");
}

TEST_CASE("contract: components and tools map names to strings; pointers escape '/' and '~'") {
  CHECK(contract()
            .validate(contract_body_with("/artifact/components", R"({"a": "x", "b/c": ""})"))
            .empty());
  check_only(
      contract().validate(contract_body_with("/artifact/components", R"({"ok": "x", "a/b": 1})")),
      "/artifact/components/a~1b", "type", "expected string, found number");
  check_only(contract().validate(contract_body_with("/artifact/tools", R"({"x~y": {"n": 1}})")),
             "/artifact/tools/x~0y", "type", "expected string, found object");
}

TEST_CASE("contract: metadata accepts any values") {
  CHECK(contract()
            .validate(contract_body_with("/artifact/metadata",
                                         R"({"n": 1, "s": "x", "b": false, "z": null, "a": [1, {}],
                                    "o": {"deep": [[null]]}})"))
            .empty());
}

TEST_CASE("contract: the nested schema object has optional string input and output") {
  CHECK(contract()
            .validate(contract_body_with("/artifact/schema", R"({"input": "a", "output": "b"})"))
            .empty());
  CHECK(contract().validate(contract_body_with("/artifact/schema", R"({"output": "b"})")).empty());
}

TEST_CASE("contract: unknown extra properties are allowed at every level") {
  rapidjson::Document body = parsed(kMinimalBody);
  rapidjson::Pointer("/extra").Set(body, 1);
  rapidjson::Pointer("/artifact/extra").Set(body, "x");
  rapidjson::Pointer("/artifact/schema/extra").Set(body, true);
  CHECK(contract().validate(body).empty());
}

TEST_CASE("contract: several violations are all listed, in pointer order") {
  const Violations violations = contract().validate(parsed(R"({
    "registryRef": 1,
    "artifact": {"prompt": "p", "version": 2, "model": "m", "compiled": "c",
                 "schema": {"input": false}, "components": {"a/b": 1}, "metadata": {},
                 "tools": {"t": []}}})"));
  std::vector<std::string> seen;
  for (const Violation& violation : violations) {
    CHECK(violation.location == "body");
    seen.push_back(violation.pointer + " " + violation.keyword + ": " + violation.message);
  }
  CHECK(seen == std::vector<std::string>{
                    "/artifact/components/a~1b type: expected string, found number",
                    "/artifact/hash required: missing required property 'hash'",
                    "/artifact/schema/input type: expected string, found boolean",
                    "/artifact/tools/t type: expected string, found array",
                    "/artifact/version type: expected string, found number",
                    "/registryRef type: expected string, found number",
                });
}

TEST_CASE("contract: validation is thread-safe") {
  const rapidjson::Document invalid = parsed(R"({"registryRef": 1, "artifact": {"version": 2}})");
  const Violations expected = contract().validate(invalid);
  REQUIRE(expected.size() > 2);
  std::vector<std::thread> threads;
  std::vector<int> mismatches(8, 0);
  for (std::size_t t = 0; t < mismatches.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) {
        const Violations got = contract().validate(invalid);
        bool same = got.size() == expected.size();
        for (std::size_t k = 0; same && k < got.size(); ++k) {
          same = got[k].pointer == expected[k].pointer && got[k].message == expected[k].message;
        }
        if (!same) ++mismatches[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(mismatches == std::vector<int>(8, 0));
}

TEST_CASE("contract: the request schema is the document's, components inlined, no $ref left") {
  const rapidjson::Document& document = contract().document();
  const rapidjson::Value& schemas = document["components"]["schemas"];
  rapidjson::Document expected;
  expected.CopyFrom(document["paths"]["/registries/artifacts"]["post"]["requestBody"]["content"]
                            ["application/json"]["schema"],
                    expected.GetAllocator());
  rapidjson::Value artifact(schemas[kArtifact], expected.GetAllocator());
  artifact["properties"]["schema"].CopyFrom(schemas[kArtifactSchema], expected.GetAllocator());
  expected["properties"]["artifact"] = artifact;

  CHECK(serialised(contract().request_schema()).find("$ref") == std::string::npos);
  CHECK(contract().request_schema() == expected);
}

TEST_CASE("contract: the schema comes from the document, not from code") {
  // The same document with 'hash' no longer required accepts a body without it.
  const std::string text = embedded_text();
  const Contract relaxed =
      Contract::from_text(replaced(text, "        - hash\n", ""), "relaxed contract");
  const rapidjson::Document no_hash = contract_body_with("/artifact/hash", "");
  CHECK(relaxed.validate(no_hash).empty());
  CHECK_FALSE(contract().validate(no_hash).empty());
  // Another base path and path are read from the document too.
  const Contract moved = Contract::from_text(
      replaced(replaced(text, "  - url: /api\n", "  - url: https://example.test/v2/\n"),
               "  /registries/artifacts:\n", "  /publish:\n"),
      "moved");
  CHECK(moved.server_base_path() == "/v2");
  CHECK(moved.operation_path() == "/publish");
}

TEST_CASE("contract: the JSON form of the document works the same") {
  const Contract from_json =
      Contract::from_text(serialised(contract().document()), "contract.json");
  CHECK(from_json.document() == contract().document());
  CHECK(from_json.request_schema() == contract().request_schema());
  CHECK(from_json.operation_method() == "POST");
  CHECK(from_json.validate(parsed(kMinimalBody)).empty());
}

TEST_CASE("contract: requestBody may itself be a $ref") {
  std::string text =
      replaced(embedded_text(), "      requestBody:\n        content:\n",
               "      requestBody:\n        $ref: '#/components/requestBodies/Publish'\n"
               "      unused:\n        content:\n");
  text = replaced(text, "components:\n  schemas:\n",
                  "components:\n  requestBodies:\n    Publish:\n      content:\n"
                  "        application/json:\n          schema:\n"
                  "            $ref: '#/components/schemas/" +
                      std::string(kArtifactSchema) + "'\n  schemas:\n");
  const Contract contract_with_ref = Contract::from_text(text, "ref body");
  CHECK(contract_with_ref.request_schema()["title"] == kArtifactSchema);
  check_only(contract_with_ref.validate(parsed(R"({"input": 1})")), "/input", "type",
             "expected string, found number");
}

TEST_CASE("contract: unusable documents are ContractErrors that say why") {
  const std::string text = embedded_text();
  SUBCASE("bad YAML names the origin and line") {
    CHECK_THROWS_WITH_AS(Contract::from_text("openapi: 3.1.0\npaths: [\n  x: }\n", "bad.yaml"),
                         doctest::Contains("bad.yaml: invalid YAML at line 3"), ContractError);
  }
  SUBCASE("a document that is not a map") {
    CHECK_THROWS_AS(Contract::from_text("- 1\n- 2\n", "list.yaml"), ContractError);
  }
  SUBCASE("missing operation") {
    CHECK_THROWS_WITH_AS(
        Contract::from_text(
            replaced(text, "operationId: prm-registry-publish", "operationId: other"),
            "renamed.yaml"),
        doctest::Contains("no operation with operationId 'prm-registry-publish'"), ContractError);
  }
  SUBCASE("dangling $ref") {
    CHECK_THROWS_WITH_AS(
        Contract::from_text(replaced(text, std::string("#/components/schemas/") + kArtifactSchema,
                                     "#/components/schemas/Missing"),
                            "dangling.yaml"),
        doctest::Contains("dangling.yaml: $ref '#/components/schemas/Missing'"), ContractError);
  }
  SUBCASE("cyclic $ref") {
    const std::string cyclic = replaced(
        text, "        input:\n          type: string\n",
        std::string("        input:\n          $ref: '#/components/schemas/") + kArtifact + "'\n");
    CHECK_THROWS_WITH_AS(Contract::from_text(cyclic, "cyclic.yaml"), doctest::Contains("is cyclic"),
                         ContractError);
  }
  SUBCASE("remote $ref") {
    CHECK_THROWS_WITH_AS(
        Contract::from_text(replaced(text, std::string("#/components/schemas/") + kArtifactSchema,
                                     "other.yaml#/Schema"),
                            "remote.yaml"),
        doctest::Contains("not a local reference"), ContractError);
  }
  SUBCASE("no request body schema") {
    CHECK_THROWS_AS(Contract::from_text(replaced(text, "application/json:\n            schema:",
                                                 "text/plain:\n            schema:"),
                                        "plain.yaml"),
                    ContractError);
  }
}

TEST_CASE("contract: YAML scalars become JSON by the YAML 1.2 core schema") {
  const rapidjson::Document json = prm_mock::yaml_to_json(
      "plain_int: 12\nquoted_int: '12'\nnegative: -3\nfloat: 1.5e3\nbool: true\nquoted_bool: "
      "\"true\"\n"
      "null_word: null\ntilde: ~\nempty:\nquoted_null: 'null'\nword: hello\ntagged: !!str 7\n"
      "version: 1.0.0\nlist: [1, a]\n'200': ok\n",
      "scalars.yaml");
  CHECK(json["plain_int"].GetInt() == 12);
  CHECK(json["quoted_int"] == "12");
  CHECK(json["negative"].GetInt() == -3);
  CHECK(json["float"].GetDouble() == 1500.0);
  CHECK(json["bool"].IsTrue());
  CHECK(json["quoted_bool"] == "true");
  CHECK(json["null_word"].IsNull());
  CHECK(json["tilde"].IsNull());
  CHECK(json["empty"].IsNull());
  CHECK(json["quoted_null"] == "null");
  CHECK(json["word"] == "hello");
  CHECK(json["tagged"] == "7");
  CHECK(json["version"] == "1.0.0");
  CHECK(json["list"][1] == "a");
  CHECK(json["200"] == "ok");
  CHECK_THROWS_WITH_AS(prm_mock::yaml_to_json("a: 1\na: 2\n", "dup.yaml"),
                       doctest::Contains("duplicate key 'a'"), ContractError);
}

// The 200 response schema is oneOf two "Any type" branches. Compiled literally, oneOf
// demands exactly one matching branch; every value matches both, so every value is rejected. That
// is why the mock treats a 200 body as "any JSON" instead of validating it against this schema.
TEST_CASE("contract: the documented 200 response schema is a degenerate oneOf") {
  const rapidjson::Value& response =
      contract()
          .document()["components"]["schemas"]["Registries_prm.registry.publish_Response_200"];
  REQUIRE(response["oneOf"].Size() == 2);
  valijson::Schema schema;
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
  valijson::adapters::RapidJsonAdapter schema_adapter(response);
  parser.populateSchema(schema_adapter, schema);

  valijson::Schema branch;
  valijson::adapters::RapidJsonAdapter branch_adapter(response["oneOf"][0]);
  parser.populateSchema(branch_adapter, branch);

  for (const char* json : {"{}", "\"x\"", "null", R"({"id": "a1", "version": "1.0.0"})"}) {
    CAPTURE(json);
    const rapidjson::Document value = parsed(json);
    valijson::adapters::RapidJsonAdapter target(value);
    valijson::Validator validator;
    CHECK(validator.validate(branch, target, nullptr));        // each branch accepts it...
    CHECK_FALSE(validator.validate(schema, target, nullptr));  // ...so oneOf rejects it
  }
}

// The published contract uses only required, type and additionalProperties schemas; a later version
// may use more. These findings are rewritten too, quoting the rule from the schema.
TEST_CASE("contract: other keywords of a stricter contract version get plain messages") {
  std::string text = replaced(embedded_text(), "        model:\n          type: string\n",
                              "        model:\n          type: string\n          enum: [a, b]\n");
  text = replaced(text, "        version:\n          type: string\n",
                  "        version:\n          type: string\n          pattern: '^\\d+$'\n");
  text = replaced(text, "        prompt:\n          type: string\n",
                  "        prompt:\n          type: string\n          minLength: 3\n");
  text = replaced(text, "          type: string\n      title: >-\n",
                  "          type: string\n      additionalProperties: false\n      title: >-\n");
  const Contract strict = Contract::from_text(text, "strict.yaml");
  rapidjson::Document body = parsed(kMinimalBody);
  rapidjson::Pointer("/artifact/schema/x~1y").Set(body, 1);
  rapidjson::Pointer("/artifact/schema/z").Set(body, 2);
  rapidjson::Pointer("/artifact/schema/input").Set(body, "ok");
  rapidjson::Pointer("/artifact/prompt").Set(body, "ab");
  const Violations violations = strict.validate(body);
  std::vector<std::string> seen;
  for (const Violation& violation : violations) {
    seen.push_back(violation.pointer + " " + violation.keyword + ": " + violation.message);
  }
  CHECK(seen ==
        std::vector<std::string>{
            "/artifact/model enum: expected one of \"a\", \"b\", found \"gpt-4o\"",
            "/artifact/prompt minLength: string should be no fewer than 3 characters in length",
            "/artifact/schema/x~1y additionalProperties: property 'x/y' is not allowed here",
            "/artifact/schema/z additionalProperties: property 'z' is not allowed here",
            "/artifact/version pattern: \"1.0.0\" does not match the pattern '^\\d+$'",
        });
}
