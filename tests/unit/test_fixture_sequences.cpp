// Sequences (`responses`): the format, the compiled steps, which step a turn gets, and the scope
// store that counts turns per scope, atomically.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "contract/contract.hpp"
#include "embedded_contract.hpp"
#include "fixture_problem_lines.hpp"
#include "stubs/fixture_compiler.hpp"
#include "stubs/fixture_set.hpp"
#include "stubs/response_renderer.hpp"
#include "stubs/scope.hpp"
#include "stubs/scope_store.hpp"

using namespace prm_mock;

namespace {

using prm_mock::testing::contract;
using prm_mock::testing::problem_lines;

std::string sequence_problems(const std::string& json) {
  FixtureProblems problems;
  const auto fixture = compile_fixture(json, "fx/seq.json", contract(), problems);
  CHECK((fixture == nullptr) == !problems.empty());
  return problem_lines(problems);
}

std::shared_ptr<const Fixture> compiled_sequence(const std::string& json) {
  FixtureProblems problems;
  auto fixture = compile_fixture(json, "fx/seq.json", contract(), problems);
  INFO(problem_lines(problems));
  REQUIRE(fixture != nullptr);
  return fixture;
}

// The step each of the first `turns` turns gets.
std::vector<std::size_t> steps_for_turns(const Fixture& fixture, std::uint64_t turns) {
  std::vector<std::size_t> steps;
  for (std::uint64_t turn = 0; turn < turns; ++turn) steps.push_back(fixture.step_for_turn(turn));
  return steps;
}

using Steps = std::vector<std::size_t>;

}  // namespace

TEST_CASE("sequence format: exactly one of response and responses") {
  CHECK(sequence_problems(R"({"name": "s", "response": {"status": 200},
                              "responses": [{"status": 429}]})") ==
        "fx/seq.json: /: give only one of 'response' and 'responses', not several\n");
  CHECK(sequence_problems(R"({"name": "s"})") ==
        "fx/seq.json: /: needs one of 'response' or 'responses'\n");
  // Other problems are still reported beside it, each once.
  CHECK(sequence_problems(R"({"name": "s", "prority": 1})") ==
        "fx/seq.json: /: needs one of 'response' or 'responses'\n"
        "fx/seq.json: /prority: unexpected key 'prority' (did you mean 'priority'?); allowed "
        "here: name, description, priority, when, response, responses, afterLast, scope, delayMs, "
        "fault, recorded\n");
}

TEST_CASE("sequence format: steps are checked like a response, with repeat, delayMs and fault") {
  CHECK(sequence_problems(R"({"name": "s", "responses": []})") ==
        "fx/seq.json: /responses: needs at least 1 items, found 0\n");
  CHECK(sequence_problems(R"({"name": "s", "responses": {"status": 200}})") ==
        "fx/seq.json: /responses: expected array, found object\n");
  CHECK(sequence_problems(R"({"name": "s", "responses": [{"status": 200}, {"status": 700}]})") ==
        "fx/seq.json: /responses/1/status: HTTP status must be between 100 and 599, found 700\n");
  CHECK(sequence_problems(R"({"name": "s", "responses": [{"status": 200, "repeat": 0}]})") ==
        "fx/seq.json: /responses/0/repeat: must be between 1 and 1000000, found 0\n");
  CHECK(sequence_problems(R"({"name": "s", "responses": [{"status": 200, "repeat": "2"}]})") ==
        "fx/seq.json: /responses/0/repeat: expected integer, found string\n");
  CHECK(sequence_problems(R"({"name": "s", "responses": [{"status": 200, "repeats": 2}]})") ==
        "fx/seq.json: /responses/0/repeats: unexpected key 'repeats' (did you mean 'repeat'?); "
        "allowed here: status, headers, body, delayMs, fault, dribble, repeat\n");
  CHECK(sequence_problems(R"({"name": "s", "responses": [{"status": 200, "fault": "reset"}]})") ==
        "fx/seq.json: /responses/0/fault: must be one of null, \"connection_reset\", "
        "\"empty_response\", \"malformed_body\", \"timeout\"; found \"reset\"\n");
  // Templates and headers are compiled per step, and problems point into the step.
  CHECK(sequence_problems(R"({"name": "s", "responses": [{"status": 200},
                              {"status": 200, "body": {"v": "{{body:/artifact/verison}}"}}]})")
            .starts_with("fx/seq.json: /responses/1/body/v: "));
  CHECK(sequence_problems(R"({"name": "s", "responses": [
                              {"status": 429, "headers": {"Content-Length": "1"}}]})") ==
        "fx/seq.json: /responses/0/headers/Content-Length: 'Content-Length' is set by the server "
        "and cannot be overridden\n");
}

TEST_CASE("sequence format: afterLast and scope, and only on a sequence") {
  CHECK(
      sequence_problems(R"({"name": "s", "responses": [{"status": 200}], "afterLast": "again"})") ==
      "fx/seq.json: /afterLast: must be one of \"repeat\", \"cycle\"; found \"again\"\n");
  CHECK(sequence_problems(R"({"name": "s", "responses": [{"status": 200}], "scope": "apikey"})") ==
        "fx/seq.json: /scope: \"apikey\" does not match ^(apiKey|global)$\n");
  CHECK(sequence_problems(R"({"name": "s", "responses": [{"status": 200}], "scope": 3})") ==
        "fx/seq.json: /scope: expected string or object, found integer\n");
  CHECK(sequence_problems(
            R"({"name": "s", "responses": [{"status": 200}], "scope": {"heder": "X-S"}})") ==
        "fx/seq.json: /scope/header: required key 'header' is missing\n"
        "fx/seq.json: /scope/heder: unexpected key 'heder' (did you mean 'header'?); allowed "
        "here: header\n");
  CHECK(sequence_problems(
            R"({"name": "s", "responses": [{"status": 200}], "scope": {"header": "Bad Name"}})") ==
        "fx/seq.json: /scope/header: \"Bad Name\" does not match "
        "^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$\n");
  // A credential's value would be printed in the scope's label.
  CHECK(sequence_problems(
            R"({"name": "s", "responses": [{"status": 200}], "scope": {"header": "x-api-key"}})") ==
        "fx/seq.json: /scope/header: x-api-key carries a credential, which a scope label would "
        "show; use apiKey to scope by the API key\n");
  CHECK(sequence_problems(R"({"name": "s", "response": {"status": 200}, "afterLast": "cycle",
                              "scope": "global"})") ==
        "fx/seq.json: /afterLast: 'afterLast' applies only to a sequence: give 'responses' "
        "instead of 'response'\n"
        "fx/seq.json: /scope: 'scope' applies only to a sequence: give 'responses' instead of "
        "'response'\n");
}

TEST_CASE("sequence: steps compiled in order; a step's delay and fault win over the fixture's") {
  const auto fixture = compiled_sequence(R"({"name": "retry", "delayMs": 50, "fault": null,
      "responses": [
        {"status": 429, "headers": {"Retry-After": "1"}, "repeat": 2},
        {"status": 503, "delayMs": 0, "fault": "connection_reset"},
        {"status": 200, "body": {"id": "{{requestId}}"}}],
      "afterLast": "cycle", "scope": {"header": "X-Mock-Session"}})");
  CHECK(fixture->sequence);
  REQUIRE(fixture->responses.size() == 3);
  CHECK(fixture->responses[0].status == 429);
  CHECK(fixture->responses[0].repeat == 2);
  CHECK(fixture->responses[0].delay.json_text() == "50");
  CHECK(fixture->responses[0].fault == Fault::None);
  CHECK(fixture->responses[1].delay.always_zero());
  CHECK(fixture->responses[1].fault == Fault::ConnectionReset);
  CHECK(fixture->responses[2].repeat == 1);
  CHECK(fixture->after_last == AfterLast::Cycle);
  CHECK(fixture->scope.kind == ScopeRule::Kind::Header);
  CHECK(fixture->scope.header == "x-mock-session");

  const httplib::Headers headers;
  const rapidjson::Document body;
  const RequestContext request{headers, body, "req-7"};
  const RenderedResponse first = render(*fixture, request, 0);
  CHECK(first.status == 429);
  REQUIRE(first.headers.size() == 1);
  CHECK(first.headers[0].second == "1");
  const RenderedResponse last = render(*fixture, request, 2);
  CHECK(last.status == 200);
  CHECK(last.body == R"({"id":"req-7"})");
  CHECK(last.delay_ms == 50);

  const auto plain = compiled_sequence(R"({"name": "plain", "response": {"status": 201}})");
  CHECK_FALSE(plain->sequence);
  CHECK(plain->response().status == 201);
  CHECK(plain->scope.kind == ScopeRule::Kind::ApiKey);
}

TEST_CASE("sequence: which step answers each turn, with repeat, afterLast repeat and cycle") {
  const auto repeat_last = compiled_sequence(
      R"({"name": "r", "responses": [{"status": 429, "repeat": 2}, {"status": 200}]})");
  CHECK(repeat_last->after_last == AfterLast::Repeat);
  CHECK(steps_for_turns(*repeat_last, 6) == Steps{0, 0, 1, 1, 1, 1});
  const auto cycle = compiled_sequence(R"({"name": "c", "afterLast": "cycle",
      "responses": [{"status": 500}, {"status": 503, "repeat": 2}, {"status": 200}]})");
  CHECK(steps_for_turns(*cycle, 9) == Steps{0, 1, 1, 2, 0, 1, 1, 2, 0});
  CHECK(cycle->turns_per_pass() == 4);
  const auto single = compiled_sequence(R"({"name": "o", "responses": [{"status": 204}]})");
  CHECK(steps_for_turns(*single, 3) == Steps{0, 0, 0});
}

TEST_CASE("sequence: Prefer example picks it; Prefer code never promises a sequence's status") {
  const FixtureSet set({compiled_sequence(R"({"name": "flaky", "priority": 9,
                            "responses": [{"status": 503}, {"status": 200}]})"),
                        compiled_sequence(R"({"name": "ok", "response": {"status": 200}})")});
  const httplib::Headers by_code{{"Prefer", "code=503"}};
  const httplib::Headers by_code_200{{"Prefer", "code=200"}};
  const httplib::Headers by_name{{"Prefer", "example=flaky"}};
  const httplib::Headers by_both{{"Prefer", "example=flaky, code=503"}};
  const rapidjson::Document body;
  const Selection named = set.select({by_name, body, "r"});
  REQUIRE(named.outcome == SelectionOutcome::Chosen);
  CHECK(named.fixture->name == "flaky");
  const Selection code_200 = set.select({by_code_200, body, "r"});
  REQUIRE(code_200.outcome == SelectionOutcome::Chosen);
  CHECK(code_200.fixture->name == "ok");
  const Selection code_503 = set.select({by_code, body, "r"});
  CHECK(code_503.outcome == SelectionOutcome::UnknownPreference);
  CHECK(code_503.message == "Prefer: code=503 matches no fixture; known codes: 200");
  const Selection both = set.select({by_both, body, "r"});
  CHECK(both.outcome == SelectionOutcome::UnknownPreference);
  CHECK(both.message.find("is a sequence") != std::string::npos);
}

TEST_CASE("scope labels: key digests, never the key; anonymous; header values; global") {
  const std::string key = "k-test-17";
  const httplib::Headers api_key{{"X-API-Key", " " + key + " "}};
  const httplib::Headers bearer{{"Authorization", "Bearer " + key}};
  const httplib::Headers both{{"X-API-Key", key}, {"Authorization", "Bearer other-key"}};
  const httplib::Headers none;
  const std::string label = ScopeRule::api_key().label_for(api_key);
  CHECK(label.starts_with("key:"));
  CHECK(label.size() == 4 + 16);
  CHECK(label.find(key) == std::string::npos);
  CHECK(label.substr(4).find_first_not_of("0123456789abcdef") == std::string::npos);
  // The same key is the same scope however it is sent, and X-API-Key wins as in the pipeline.
  CHECK(ScopeRule::api_key().label_for(bearer) == label);
  CHECK(ScopeRule::api_key().label_for(both) == label);
  CHECK(ScopeRule::api_key().label_for({{"X-API-Key", "k-test-18"}}) != label);
  CHECK(ScopeRule::api_key().label_for(none) == "anonymous");
  CHECK(ScopeRule::api_key().label_for({{"Authorization", "Basic dTpw"}}) == "anonymous");
  CHECK(api_key_scope_label(key) == label);

  const ScopeRule session = ScopeRule::by_header("X-Mock-Session");
  CHECK(session.label_for({{"x-mock-session", "test-a"}}) == "header:x-mock-session=test-a");
  CHECK(session.label_for(none) == "header:x-mock-session");
  CHECK(ScopeRule::global().label_for(api_key) == "global");
}

TEST_CASE("scope rules as --state-scope spells them") {
  std::string problem;
  CHECK(parse_scope_rule("apiKey", problem)->kind == ScopeRule::Kind::ApiKey);
  CHECK(parse_scope_rule("global", problem)->kind == ScopeRule::Kind::Global);
  const auto header = parse_scope_rule("header:X-Mock-Session", problem);
  REQUIRE(header.has_value());
  CHECK(header->spelling() == "header:x-mock-session");
  CHECK_FALSE(parse_scope_rule("apikey", problem).has_value());
  CHECK(problem == "expected apiKey, global or header:NAME");
  CHECK_FALSE(parse_scope_rule("header:", problem).has_value());
  CHECK_FALSE(parse_scope_rule("header:Authorization", problem).has_value());
  CHECK(problem.find("credential") != std::string::npos);
}

TEST_CASE("scope store: turns count per scope and fixture; a changed fixture starts again") {
  const auto retry = compiled_sequence(R"({"name": "retry", "responses": [{"status": 429}]})");
  const auto other = compiled_sequence(R"({"name": "other", "responses": [{"status": 500}]})");
  ScopeStore store;
  CHECK(store.take_turn("key:a", *retry) == 0);
  CHECK(store.take_turn("key:a", *retry) == 1);
  CHECK(store.take_turn("key:b", *retry) == 0);
  CHECK(store.take_turn("key:a", *other) == 0);
  CHECK(store.take_turn("key:a", *retry) == 2);
  const auto edited =
      compiled_sequence(R"({"name": "retry", "responses": [{"status": 429}, {"status": 200}]})");
  CHECK(edited->revision != retry->revision);
  CHECK(store.take_turn("key:a", *edited) == 0);

  CHECK(store.record_publish("key:a", PublishIdentity{"acme/p", "greet", "m", "1.0.0"}));
  CHECK_FALSE(store.record_publish("key:a", PublishIdentity{"acme/p", "greet", "m", "1.0.0"}));
  CHECK(store.record_publish("key:b", PublishIdentity{"acme/p", "greet", "m", "1.0.0"}));

  const std::vector<ScopeSnapshot> scopes = store.snapshot();
  REQUIRE(scopes.size() == 2);
  CHECK(scopes[0].label == "key:a");
  CHECK(scopes[0].publishes == 1);
  REQUIRE(scopes[0].sequences.size() == 2);
  CHECK(scopes[0].sequences[0].fixture == "other");
  CHECK(scopes[0].sequences[0].turns == 1);
  CHECK(scopes[0].sequences[1].fixture == "retry");
  CHECK(scopes[0].sequences[1].turns == 1);
  CHECK(scopes[0].sequences[1].revision == edited->revision);

  CHECK(store.reset_scope("key:a"));
  CHECK_FALSE(store.reset_scope("key:a"));
  CHECK(store.size() == 1);
  CHECK(store.take_turn("key:a", *other) == 0);
  CHECK(store.take_turn("key:b", *retry) == 1);  // the other scope kept its count
  store.reset();
  CHECK(store.size() == 0);
}

TEST_CASE("scope store: past its bound the scope used longest ago is forgotten") {
  const auto retry = compiled_sequence(R"({"name": "retry", "responses": [{"status": 429}]})");
  ScopeStore store(2);
  store.take_turn("old", *retry);
  store.take_turn("busy", *retry);
  store.take_turn("old", *retry);  // "busy" is now the one used longest ago
  store.take_turn("new", *retry);
  CHECK(store.size() == 2);
  CHECK(store.evicted() == 1);
  CHECK(store.take_turn("old", *retry) == 2);
  CHECK(store.take_turn("busy", *retry) == 0);
}

TEST_CASE("scope store: concurrent turns in one scope are all different, none lost") {
  const auto retry = compiled_sequence(R"({"name": "retry", "responses": [{"status": 429}]})");
  constexpr int kThreads = 16;
  constexpr int kTurnsEach = 200;
  ScopeStore store;
  std::vector<std::vector<std::uint64_t>> taken(kThreads);
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      ready.fetch_add(1);
      while (ready.load() < kThreads) std::this_thread::yield();  // start together
      for (int i = 0; i < kTurnsEach; ++i) taken[t].push_back(store.take_turn("global", *retry));
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<std::uint64_t> distinct;
  for (const auto& turns : taken) distinct.insert(turns.begin(), turns.end());
  CHECK(distinct.size() == kThreads * kTurnsEach);
  CHECK(*distinct.rbegin() == kThreads * kTurnsEach - 1);
}

TEST_CASE("sequence: a step's delay may be a distribution, and a reversed range is a problem") {
  const auto fixture = compiled_sequence(R"({"name": "slow-then-ok",
      "responses": [{"status": 503, "delayMs": {"uniform": [10, 20]}}, {"status": 200}]})");
  CHECK(fixture->responses[0].delay.json_text() == R"({"uniform":[10,20]})");
  CHECK(fixture->responses[1].delay.always_zero());
  const httplib::Headers headers;
  const rapidjson::Document body;
  const RequestContext request{headers, body, "req-8"};
  for (int i = 0; i < 50; ++i) {
    const int delay = render(*fixture, request, 0).delay_ms;
    CHECK(delay >= 10);
    CHECK(delay <= 20);
  }
  FixtureProblems problems;
  compile_fixture(
      R"({"name": "bad", "responses": [{"status": 200, "delayMs": {"uniform": [400, 100]}}]})",
      "bad.json", contract(), problems);
  const std::string lines = problem_lines(problems);
  CHECK(lines.find("bad.json: /responses/0/delayMs/uniform: ") != std::string::npos);
  CHECK(lines.find("above") != std::string::npos);
}
