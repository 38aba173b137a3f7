// Matching: each operator, header-name case, and the ranking that breaks ties.
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "contract/contract.hpp"
#include "embedded_contract.hpp"
#include "fixture_problem_lines.hpp"
#include "stubs/fixture_compiler.hpp"
#include "stubs/fixture_set.hpp"

using namespace prm_mock;

namespace {

using prm_mock::testing::contract;
using prm_mock::testing::problem_lines;

std::shared_ptr<const Fixture> fixture(const std::string& json) {
  FixtureProblems problems;
  auto compiled = compile_fixture(json, "test.json", contract(), problems);
  const std::string lines = problem_lines(problems);
  INFO(lines);
  REQUIRE(problems.empty());
  return compiled;
}

std::shared_ptr<const Fixture> fixture_when(const std::string& when, int priority = 0,
                                            const std::string& name = "f") {
  return fixture(R"({"name": ")" + name + R"(", "priority": )" + std::to_string(priority) +
                 R"(, "when": )" + when + R"(, "response": {"status": 200}})");
}

rapidjson::Document body_document(const std::string& json) {
  rapidjson::Document document;
  document.Parse(json.c_str());
  REQUIRE_FALSE(document.HasParseError());
  return document;
}

const char* kMatchedBody = R"({"registryRef": "acme/prompts", "artifact": {"prompt": "greet",
  "version": "1.2.3", "model": "gpt-4o", "compiled": "Hi", "hash": "ab12", "schema": {},
  "components": {}, "metadata": {"tags": ["a", "b"], "count": 3}}})";

bool matches(const Fixture& candidate, const httplib::Headers& headers, const std::string& body) {
  const rapidjson::Document document = body_document(body);
  return candidate.when.matches({headers, document, "req-1"});
}

}  // namespace

TEST_CASE("fixture matching: equals compares any JSON deeply, numbers by value") {
  CHECK(matches(*fixture_when(R"({"body": {"/artifact/version": {"equals": "1.2.3"}}})"), {},
                kMatchedBody));
  CHECK_FALSE(matches(*fixture_when(R"({"body": {"/artifact/version": {"equals": "1.2.4"}}})"), {},
                      kMatchedBody));
  CHECK(matches(
      *fixture_when(
          R"({"body": {"/artifact/metadata": {"equals": {"count": 3.0, "tags": ["a", "b"]}}}})"),
      {}, kMatchedBody));
  CHECK_FALSE(
      matches(*fixture_when(R"({"body": {"/artifact/metadata/tags": {"equals": ["b", "a"]}}})"), {},
              kMatchedBody));
  CHECK_FALSE(matches(*fixture_when(R"({"body": {"/artifact/metadata/count": {"equals": "3"}}})"),
                      {}, kMatchedBody));
  CHECK_FALSE(matches(*fixture_when(R"({"body": {"/artifact/tools": {"equals": null}}})"), {},
                      kMatchedBody));
}

TEST_CASE(
    "fixture matching: matches searches strings with an ECMAScript regex, never other types") {
  CHECK(matches(*fixture_when(R"({"body": {"/artifact/version": {"matches": "^1\\."}}})"), {},
                kMatchedBody));
  CHECK(matches(*fixture_when(R"({"body": {"/registryRef": {"matches": "prompt"}}})"), {},
                kMatchedBody));
  CHECK_FALSE(matches(*fixture_when(R"({"body": {"/artifact/version": {"matches": "^2\\."}}})"), {},
                      kMatchedBody));
  CHECK_FALSE(matches(*fixture_when(R"({"body": {"/artifact/metadata/count": {"matches": "3"}}})"),
                      {}, kMatchedBody));
  CHECK_FALSE(matches(*fixture_when(R"({"body": {"/artifact/body": {"matches": ".*"}}})"), {},
                      kMatchedBody));
}

TEST_CASE("fixture matching: present true/false, also on values that are null") {
  CHECK(matches(*fixture_when(R"({"body": {"/artifact/metadata": {"present": true}}})"), {},
                kMatchedBody));
  CHECK(matches(*fixture_when(R"({"body": {"/artifact/tools": {"present": false}}})"), {},
                kMatchedBody));
  CHECK_FALSE(matches(*fixture_when(R"({"body": {"/artifact/tools": {"present": true}}})"), {},
                      kMatchedBody));
  const std::string with_null_body =
      R"({"registryRef": "r", "artifact": {"prompt": "p", "body": null}})";
  CHECK(matches(*fixture_when(R"({"body": {"/artifact/body": {"present": true}}})"), {},
                with_null_body));
}

TEST_CASE(
    "fixture matching: header names are case-insensitive, values exact; all conditions must hold") {
  const auto by_key = fixture_when(R"({"headers": {"x-api-key": {"equals": "k-1"}}})");
  CHECK(matches(*by_key, {{"X-API-Key", "k-1"}}, kMatchedBody));
  CHECK(matches(*by_key, {{"X-Api-KEY", "k-1"}}, kMatchedBody));
  CHECK_FALSE(matches(*by_key, {{"X-API-Key", "K-1"}}, kMatchedBody));
  CHECK_FALSE(matches(*by_key, {}, kMatchedBody));
  const auto regex = fixture_when(R"({"headers": {"USER-AGENT": {"matches": "^python"}}})");
  CHECK(matches(*regex, {{"user-agent", "python-requests/2.31"}}, kMatchedBody));
  CHECK_FALSE(matches(*regex, {{"user-agent", "curl/8"}}, kMatchedBody));
  const auto absent = fixture_when(R"({"headers": {"Authorization": {"present": false}}})");
  CHECK(matches(*absent, {{"X-API-Key", "k"}}, kMatchedBody));
  CHECK_FALSE(matches(*absent, {{"authorization", "Bearer k"}}, kMatchedBody));
  const auto both = fixture_when(
      R"({"headers": {"X-API-Key": {"equals": "k-1", "matches": "^k-"}},
          "body": {"/artifact/prompt": {"equals": "greet"}}})");
  CHECK(both->when.condition_count() == 3);
  CHECK(matches(*both, {{"x-api-key", "k-1"}}, kMatchedBody));
  CHECK_FALSE(matches(*both, {{"x-api-key", "k-1"}}, R"({"artifact": {"prompt": "other"}})"));
}

TEST_CASE("fixture ranking: priority, then more conditions, then name") {
  const rapidjson::Document body = body_document(kMatchedBody);
  const httplib::Headers headers{{"X-API-Key", "k-1"}};
  const RequestContext request{headers, body, "req-1"};
  const auto always_low = fixture_when("{}", 0, "always-low");
  const auto one_condition =
      fixture_when(R"({"headers": {"X-API-Key": {"present": true}}})", 5, "b-one");
  const auto two_conditions = fixture_when(
      R"({"headers": {"X-API-Key": {"present": true}},
          "body": {"/registryRef": {"present": true}}})",
      5, "z-two");
  const auto same_rank_a =
      fixture_when(R"({"headers": {"X-API-Key": {"present": true}}})", 5, "a-one");
  const auto high_but_no_match =
      fixture_when(R"({"body": {"/registryRef": {"equals": "other/x"}}})", 50, "high");

  CHECK(FixtureSet({always_low, one_condition}).select(request).fixture->name == "b-one");
  CHECK(FixtureSet({one_condition, two_conditions}).select(request).fixture->name == "z-two");
  CHECK(FixtureSet({one_condition, same_rank_a}).select(request).fixture->name == "a-one");
  CHECK(FixtureSet({high_but_no_match, always_low}).select(request).fixture->name == "always-low");
  const FixtureSet ranked(
      {always_low, one_condition, two_conditions, same_rank_a, high_but_no_match});
  std::vector<std::string> order;
  for (const auto& each : ranked.ranked()) order.push_back(each->name);
  CHECK(order == std::vector<std::string>{"high", "z-two", "a-one", "b-one", "always-low"});
}

TEST_CASE("fixture selection: no match is reported, not guessed") {
  const rapidjson::Document body = body_document(kMatchedBody);
  const httplib::Headers headers;
  const auto only = fixture_when(R"({"body": {"/registryRef": {"equals": "other/x"}}})", 0, "only");
  const Selection selection = FixtureSet({only}).select({headers, body, "req-1"});
  CHECK(selection.outcome == SelectionOutcome::NoMatch);
  CHECK(selection.fixture == nullptr);
  CHECK(selection.message.find("no fixture matches") != std::string::npos);
}

TEST_CASE("fixture matching: a when object is checked like a fixture (admin API input)") {
  const rapidjson::Document when = body_document(
      R"({"headers": {"X": {"equal": "1"}}, "body": {"/artifact/verison": {"present": true},
          "/registryRef": {"matches": "("}}, "query": {}})");
  FixtureProblems problems;
  CHECK_FALSE(RequestMatcher::compile(when, contract().request_schema(), "admin", "", problems));
  std::vector<std::string> lines;
  for (const auto& problem : problems) lines.push_back(to_string(problem));
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] ==
        "admin: /headers/X/equal: unknown operator 'equal' (known: equals, matches, present)");
  CHECK(lines[1] ==
        "admin: /body/~1artifact~1verison: '/artifact/verison' is not a location in the "
        "contract's request schema");
  CHECK(lines[2].starts_with("admin: /body/~1registryRef/matches: invalid regex '('"));
  CHECK(lines[3] == "admin: /query: unexpected key 'query' (allowed: headers, body)");
}

TEST_CASE("fixture matching: each problem a when object can have, at its field") {
  const rapidjson::Document when = body_document(
      R"({"headers": {"": {"equals": "x"}, "X-A": {"equals": 1}, "X-B": {"matches": 5},
                      "X-C": {}, "X-D": {"present": "yes"}, "X-E": {"matches": "(", "equals": "e"}},
          "body": {"artifact": {"present": true}, "/artifact/version": {"absent": true}}})");
  FixtureProblems problems;
  CHECK_FALSE(RequestMatcher::compile(when, contract().request_schema(), "q", "/when", problems));
  std::vector<std::string> lines;
  for (const auto& problem : problems) lines.push_back(to_string(problem));
  const std::vector<std::string> expected = {
      "q: /when/headers/: a header name cannot be empty",
      "q: /when/headers/X-A/equals: a header value is a string; found number",
      "q: /when/headers/X-B/matches: expected a regex string, found number",
      "q: /when/headers/X-C: expected an object with at least one of equals, matches, present",
      "q: /when/headers/X-D/present: expected boolean, found string",
      "q: /when/headers/X-E/matches: invalid regex '(': ",
      "q: /when/body/artifact: 'artifact': ",
      "q: /when/body/~1artifact~1version/absent: unknown operator 'absent' (known: equals, "
      "matches, present)",
  };
  REQUIRE(lines.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    CAPTURE(lines[i]);
    CHECK(lines[i].starts_with(expected[i]));
  }
  CHECK_FALSE(RequestMatcher::compile(body_document(R"({"headers": []})"),
                                      contract().request_schema(), "q", "/when", problems));
  CHECK(to_string(problems.back()) == "q: /when/headers: expected object, found array");
}
