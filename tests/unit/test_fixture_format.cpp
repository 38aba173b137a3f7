// The fixture format (schemas/fixture.schema.json): every typo class is an error naming file and
// field.
#include <doctest/doctest.h>

#include <string>

#include "contract/contract.hpp"
#include "embedded_contract.hpp"
#include "fixture_problem_lines.hpp"
#include "stubs/fixture_compiler.hpp"

using namespace prm_mock;

namespace {

using prm_mock::testing::contract;
using prm_mock::testing::problem_lines;

std::string problems_of(const std::string& json) {
  FixtureProblems problems;
  const auto fixture = compile_fixture(json, "fx/typo.json", contract(), problems);
  CHECK((fixture == nullptr) == !problems.empty());
  const std::string lines = problem_lines(problems);
  return lines;
}

}  // namespace

TEST_CASE("fixture format: the README example and a minimal fixture are accepted") {
  CHECK(problems_of(R"({"name": "min", "response": {"status": 204}})") == "");
  CHECK(problems_of(R"({ "name": "duplicate-version", "priority": 10,
    "when": { "headers": { "X-API-Key": { "equals": "k-readonly" } },
              "body": { "/artifact/version": { "matches": "^0\\." },
                        "/artifact/tools": { "present": true } } },
    "response": { "status": 409, "headers": { "Retry-After": "1" },
                  "body": { "message": "version {{body:/artifact/version}} already exists" } },
    "delayMs": 0, "fault": null,
    "recorded": { "at": "2025-01-01T00:00:00Z", "from": "https://elacity.ai/api", "request": {
      "registryRef": "acme/p", "artifact": {"prompt": "p", "version": "0.1.0", "model": "m",
      "compiled": "c", "hash": "ab", "schema": {}, "components": {}, "metadata": {}}} } })") == "");
}

TEST_CASE("fixture format: a misspelt top-level key is named, with a suggestion") {
  CHECK(
      problems_of(R"({"name": "t", "prority": 5, "response": {"status": 200}})") ==
      "fx/typo.json: /prority: unexpected key 'prority' (did you mean 'priority'?); allowed here: "
      "name, description, priority, when, response, responses, afterLast, scope, delayMs, fault, "
      "recorded\n");
  CHECK(
      problems_of(R"({"name": "t", "response": {"status": 200, "header": {}}})") ==
      "fx/typo.json: /response/header: unexpected key 'header' (did you mean 'headers'?); allowed "
      "here: status, headers, body\n");
  CHECK(problems_of(R"({"name": "t", "when": {"bdy": {}}, "response": {"status": 200}})")
            .starts_with("fx/typo.json: /when/bdy: unexpected key 'bdy' (did you mean 'body'?)"));
}

TEST_CASE("fixture format: a misspelt operator is named at its pointer") {
  CHECK(problems_of(R"({"name": "t", "when": {"body": {"/artifact/version": {"equal": "1.0.0"}}},
                       "response": {"status": 200}})") ==
        "fx/typo.json: /when/body/~1artifact~1version/equal: unexpected key 'equal' (did you mean "
        "'equals'?); allowed here: equals, matches, present\n");
  CHECK(problems_of(R"({"name": "t", "when": {"headers": {"X-API-Key": {"regex": "x"}}},
                       "response": {"status": 200}})")
            .starts_with("fx/typo.json: /when/headers/X-API-Key/regex: unexpected key 'regex'"));
  CHECK(problems_of(
            R"({"name": "t", "when": {"headers": {"X-API-Key": {}}},
              "response": {"status": 200}})") ==
        "fx/typo.json: /when/headers/X-API-Key: needs at least one of: equals, matches, present\n");
}

TEST_CASE("fixture format: wrong types are named with what was expected") {
  CHECK(problems_of(R"({"name": "t", "priority": "high", "response": {"status": 200}})") ==
        "fx/typo.json: /priority: expected integer, found string\n");
  CHECK(problems_of(R"({"name": "t", "response": {"status": "200"}})") ==
        "fx/typo.json: /response/status: expected integer, found string\n");
  CHECK(problems_of(R"({"name": "t", "delayMs": 1.5, "response": {"status": 200}})") ==
        "fx/typo.json: /delayMs: expected integer or object, found number\n");
  CHECK(problems_of(R"({"name": "t", "when": {"body": {"/registryRef": {"present": "yes"}}},
                       "response": {"status": 200}})") ==
        "fx/typo.json: /when/body/~1registryRef/present: expected boolean, found string\n");
  CHECK(
      problems_of(R"({"name": "t", "response": {"status": 200, "headers": {"Retry-After": 1}}})") ==
      "fx/typo.json: /response/headers/Retry-After: expected string, found integer\n");
  CHECK(problems_of(R"([])") == "fx/typo.json: /: expected object, found array\n");
}

TEST_CASE("fixture format: bad status, name, fault, delay and missing keys") {
  CHECK(problems_of(R"({"name": "t", "response": {"status": 700}})") ==
        "fx/typo.json: /response/status: HTTP status must be between 100 and 599, found 700\n");
  CHECK(problems_of(R"({"name": "t", "response": {"status": 99}})") ==
        "fx/typo.json: /response/status: HTTP status must be between 100 and 599, found 99\n");
  CHECK(problems_of(R"({"name": "has space", "response": {"status": 200}})") ==
        "fx/typo.json: /name: \"has space\" does not match ^[A-Za-z0-9._-]{1,100}$\n");
  CHECK(problems_of(R"({"name": "t", "fault": "reset", "response": {"status": 200}})") ==
        "fx/typo.json: /fault: must be one of null, \"connection_reset\", \"empty_response\", "
        "\"malformed_body\", \"timeout\"; found \"reset\"\n");
  CHECK(problems_of(R"({"name": "t", "delayMs": -1, "response": {"status": 200}})") ==
        "fx/typo.json: /delayMs: must be between 0 and 600000, found -1\n");
  CHECK(problems_of(R"({"response": {}})") ==
        "fx/typo.json: /name: required key 'name' is missing\n"
        "fx/typo.json: /response/status: required key 'status' is missing\n");
}

TEST_CASE("fixture format: invalid JSON names the byte offset") {
  CHECK(problems_of("{\"name\": \"t\",\n}") ==
        "fx/typo.json: (file): invalid JSON at byte 14: Missing a name for object member.\n");
  CHECK(problems_of("").starts_with("fx/typo.json: (file): invalid JSON at byte 0"));
}

TEST_CASE("fixture checks: recorded request must pass the contract; header names are checked") {
  const std::string lines = problems_of(R"({"name": "t", "response": {"status": 200},
      "recorded": {"request": {"registryRef": 5, "artifact": {}}}})");
  CHECK(
      lines.find(
          "fx/typo.json: /recorded/request/registryRef: recorded request violates the contract") !=
      std::string::npos);
  CHECK(lines.find("fx/typo.json: /recorded/request/artifact") != std::string::npos);
  CHECK(
      problems_of(R"({"name": "t", "response": {"status": 200, "headers": {"Bad Name": "x"}}})") ==
      "fx/typo.json: /response/headers/Bad Name: 'Bad Name' is not a valid HTTP header name\n");
  CHECK(problems_of(
            R"({"name": "t", "response": {"status": 200, "headers": {"content-length": "3"}}})") ==
        "fx/typo.json: /response/headers/content-length: 'content-length' is set by the server and "
        "cannot be overridden\n");
  CHECK(problems_of(R"({"name": "t", "when": {"body": {"/registryRef": {"matches": "[a-"}}},
                       "response": {"status": 200}})")
            .starts_with("fx/typo.json: /when/body/~1registryRef/matches: invalid regex '[a-'"));
}

TEST_CASE("fixture format: delay distributions, their typos and malformed forms") {
  CHECK(problems_of(R"({"name": "t", "delayMs": {"uniform": [100, 400]},
                        "response": {"status": 200}})") == "");
  CHECK(problems_of(R"({"name": "t", "delayMs": {"lognormal": {"median": 120, "sigma": 0.5}},
                        "response": {"status": 200}})") == "");
  CHECK(problems_of(R"({"name": "t", "delayMs": {"unifrom": [1, 2]}, "response": {"status": 200}})")
            .starts_with("fx/typo.json: /delayMs/unifrom: unexpected key 'unifrom' (did you mean "
                         "'uniform'?); allowed here: uniform, lognormal"));
  CHECK(problems_of(R"({"name": "t", "delayMs": {"lognormal": {"median": 120, "sigam": 0.5}},
                        "response": {"status": 200}})")
            .find("/delayMs/lognormal/sigam: unexpected key 'sigam' (did you mean 'sigma'?)") !=
        std::string::npos);
  CHECK(problems_of(R"({"name": "t", "delayMs": {"lognormal": {"median": 120, "sigma": 5}},
                        "response": {"status": 200}})") ==
        "fx/typo.json: /delayMs/lognormal/sigma: must be between 0 and 4, found 5\n");
  CHECK(problems_of(R"({"name": "t", "delayMs": {"uniform": [100]}, "response": {"status": 200}})")
            .starts_with("fx/typo.json: /delayMs/uniform: "));
  CHECK(problems_of(R"({"name": "t", "delayMs": {"uniform": [100, -1]},
                        "response": {"status": 200}})") ==
        "fx/typo.json: /delayMs/uniform/1: must be between 0 and 600000, found -1\n");
  CHECK(problems_of(R"({"name": "t", "delayMs": {}, "response": {"status": 200}})")
            .starts_with("fx/typo.json: /delayMs: "));
  CHECK(problems_of(R"({"name": "t", "delayMs": {"uniform": [1, 2], "lognormal": {"median": 1,
                        "sigma": 1}}, "response": {"status": 200}})")
            .starts_with("fx/typo.json: /delayMs: "));
  CHECK(problems_of(R"({"name": "t", "delayMs": "100", "response": {"status": 200}})") ==
        "fx/typo.json: /delayMs: expected integer or object, found string\n");
  CHECK(problems_of(R"({"name": "t", "delayMs": {"uniform": [400, 100]},
                        "response": {"status": 200}})") ==
        "fx/typo.json: /delayMs/uniform: lower bound 400 is above upper bound 100\n");
}
