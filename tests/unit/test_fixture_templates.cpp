// Templates: parsed at load, types kept for whole-value placeholders, missing is null.
#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "contract/contract.hpp"
#include "embedded_contract.hpp"
#include "fixture_problem_lines.hpp"
#include "stubs/fixture_compiler.hpp"
#include "stubs/response_renderer.hpp"

using namespace prm_mock;

namespace {

using prm_mock::testing::contract;
using prm_mock::testing::problem_lines;

std::string template_problems_of(const std::string& json) {
  FixtureProblems problems;
  compile_fixture(json, "t.json", contract(), problems);
  const std::string lines = problem_lines(problems);
  return lines;
}

std::shared_ptr<const Fixture> fixture_with(const std::string& response) {
  FixtureProblems problems;
  auto compiled = compile_fixture(R"({"name": "t", "response": )" + response + "}", "t.json",
                                  contract(), problems);
  const std::string lines = problem_lines(problems);
  INFO(lines);
  REQUIRE(compiled != nullptr);
  return compiled;
}

rapidjson::Document request_document(const std::string& json) {
  rapidjson::Document document;
  document.Parse(json.c_str());
  REQUIRE_FALSE(document.HasParseError());
  return document;
}

const char* kRequestBody = R"({"registryRef": "acme/prompts", "artifact": {"prompt": "greet",
  "version": "1.2.3", "model": "gpt-4o", "compiled": "Hi", "hash": "ab12", "schema": {},
  "components": {"a": "b"}, "metadata": {"count": 3, "ok": true, "nested": {"x": [1, 2]}}}})";

// Whether `text` has the shape of `pattern`: 'd' a digit, 'x' a lower-case hex digit, anything else
// itself. (Not std::regex: GCC 12 warns falsely about it under -O2 -fsanitize=address.)
bool has_shape(std::string_view text, std::string_view pattern) {
  if (text.size() != pattern.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool digit = c >= '0' && c <= '9';
    const bool fits = pattern[i] == 'd'   ? digit
                      : pattern[i] == 'x' ? digit || (c >= 'a' && c <= 'f')
                                          : c == pattern[i];
    if (!fits) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("templates: a whole-value placeholder keeps the JSON type; inside text it is spliced") {
  const auto fixture = fixture_with(R"({"status": 200, "body": {
      "count": "{{body:/artifact/metadata/count}}", "ok": "{{body:/artifact/metadata/ok}}",
      "nested": "{{body:/artifact/metadata/nested}}", "components": "{{body:/artifact/components}}",
      "ref": "{{body:/registryRef}}",
      "text": "v{{body:/artifact/version}} n={{body:/artifact/metadata/count}}",
      "list": ["{{ body:/artifact/prompt }}", 7, {"literal": true}], "plain": "no templates"}})");
  const rapidjson::Document body = request_document(kRequestBody);
  const httplib::Headers headers;
  const RenderedResponse response = render(*fixture, {headers, body, "req-9"});
  CHECK(response.body ==
        R"({"count":3,"ok":true,"nested":{"x":[1,2]},"components":{"a":"b"},"ref":"acme/prompts",)"
        R"("text":"v1.2.3 n=3","list":["greet",7,{"literal":true}],"plain":"no templates"})");
}

TEST_CASE("templates: a value missing at request time renders as null, or \"\" inside text") {
  const auto fixture = fixture_with(R"({"status": 200,
      "headers": {"X-Echo": "[{{header:X-Missing}}{{body:/artifact/tools/x}}]"},
      "body": {"tools": "{{body:/artifact/tools}}", "header": "{{header:X-Missing}}",
               "text": "tool={{body:/artifact/tools/x}}."}})");
  const rapidjson::Document body = request_document(kRequestBody);
  const httplib::Headers headers;
  const RenderedResponse response = render(*fixture, {headers, body, "req-9"});
  CHECK(response.body == R"({"tools":null,"header":null,"text":"tool=."})");
  REQUIRE(response.headers.size() == 1);
  CHECK(response.headers[0] == std::pair<std::string, std::string>{"X-Echo", "[]"});
  // Not even a body that is not an object at all (possible under --validation off) breaks it.
  const rapidjson::Document scalar = request_document("42");
  CHECK(render(*fixture, {headers, scalar, "r"}).body ==
        R"({"tools":null,"header":null,"text":"tool=."})");
}

TEST_CASE("templates: header (case-insensitive), requestId, now, uuid, in bodies and headers") {
  const auto fixture = fixture_with(R"({"status": 201,
      "headers": {"X-Trace": "{{requestId}}/{{header:x-client}}",
                  "Content-Type": "application/problem+json"},
      "body": {"id": "{{uuid}}", "at": "{{now}}", "client": "{{header:X-CLIENT}}",
               "rid": "{{requestId}}"}})");
  const rapidjson::Document body = request_document(kRequestBody);
  const httplib::Headers headers{{"X-Client", "sdk/1.0"}};
  const RenderedResponse response = render(*fixture, {headers, body, "req-42"});
  CHECK(response.status == 201);
  CHECK(response.content_type == "application/problem+json");
  CHECK(response.fixture_name == "t");
  REQUIRE(response.headers.size() == 1);
  CHECK(response.headers[0].second == "req-42/sdk/1.0");
  const rapidjson::Document rendered = request_document(response.body);
  CHECK(std::string(rendered["client"].GetString()) == "sdk/1.0");
  CHECK(std::string(rendered["rid"].GetString()) == "req-42");
  const std::string id = rendered["id"].GetString();
  CHECK(has_shape(id, "xxxxxxxx-xxxx-4xxx-xxxx-xxxxxxxxxxxx"));
  CHECK(std::string_view("89ab").find(id.at(19)) != std::string_view::npos);
  CHECK(has_shape(rendered["at"].GetString(), "dddd-dd-ddTdd:dd:dd.dddZ"));
  // Each render generates fresh values.
  const rapidjson::Document again =
      request_document(render(*fixture, {headers, body, "req-43"}).body);
  CHECK(std::string(again["id"].GetString()) != std::string(rendered["id"].GetString()));
}

TEST_CASE("templates: an echoed line break cannot split a response header") {
  const auto fixture =
      fixture_with(R"({"status": 200, "headers": {"X-Prompt": "{{body:/artifact/compiled}}"}})");
  const rapidjson::Document body =
      request_document(R"({"artifact": {"compiled": "a\r\nSet-Cookie: x=1"}})");
  const httplib::Headers headers;
  const RenderedResponse response = render(*fixture, {headers, body, "r"});
  CHECK(response.headers[0].second == "a  Set-Cookie: x=1");
  CHECK_FALSE(response.has_body);
}

TEST_CASE("templates: unknown, unclosed or outside-the-schema templates are load errors") {
  CHECK(template_problems_of(
            R"({"name": "t", "response": {"status": 200, "body": {"a": ["{{reqId}}"]}}})") ==
        "t.json: /response/body/a/0: unknown template {{reqId}} (known: {{body:/json/pointer}}, "
        "{{header:Name}}, {{requestId}}, {{now}}, {{uuid}})\n");
  CHECK(
      template_problems_of(
          R"({"name": "t", "response": {"status": 200, "body": "{{body:/artifact/verison}}"}})") ==
      "t.json: /response/body: template {{body:/artifact/verison}}: '/artifact/verison' is not a "
      "location in the contract's request schema\n");
  CHECK(template_problems_of(
            R"({"name": "t", "response": {"status": 200, "headers": {"X-A": "{{uuid"}}})") ==
        "t.json: /response/headers/X-A: unclosed '{{' at character 0 (templates are "
        "{{body:/json/pointer}}, {{header:Name}}, {{requestId}}, {{now}}, {{uuid}})\n");
  CHECK(template_problems_of(
            R"({"name": "t", "response": {"status": 200, "body": "{{body:artifact}}"}})")
            .find("must be empty or start with '/'") != std::string::npos);
  CHECK(template_problems_of(R"({"name": "t", "response": {"status": 200, "body": "{{header:}}"}})")
            .find("names no header") != std::string::npos);
}

TEST_CASE("templates: pointers reach through additionalProperties and 'Any type' values") {
  CHECK(template_problems_of(R"({"name": "t", "response": {"status": 200, "body": [
      "{{body:/artifact/components/anything}}", "{{body:/artifact/metadata/deep/er/0}}",
      "{{body:/artifact/schema/input}}", "{{body:}}"]}})") == "");
  // schema.input is a string: nothing lies below it; schema has no additionalProperties.
  CHECK(template_problems_of(
            R"({"name": "t", "response": {"status": 200,
                               "body": "{{body:/artifact/schema/input/x}}"}})") != "");
  CHECK(template_problems_of(
            R"({"name": "t", "response": {"status": 200,
                               "body": "{{body:/artifact/schema/extra}}"}})") != "");
}
