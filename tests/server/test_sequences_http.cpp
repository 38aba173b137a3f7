// Response sequences and scopes through HTTP: each API key (or session header) walks a sequence of
// its own, concurrent requests in one scope get consecutive steps, the admin API lists and resets
// scopes, and the journal is searched by scope and by the credential a test sent.
#include <doctest/doctest.h>

#include <future>
#include <set>
#include <string>
#include <vector>

#include "test_server.hpp"

using prm_mock::testing::kAdminStateChange;
using prm_mock::testing::kValidBody;
using prm_mock::testing::parse;
using prm_mock::testing::RunningServer;
using prm_mock::testing::valid_body_with;

namespace {

// Answers publishes of the prompt "sequence-me": 429, then 503, then 200 from then on; each step
// says which it is in its body.
const std::string kRetrySequence = R"({"name": "retry-sequence", "priority": 100,
  "when": {"body": {"/artifact/prompt": {"equals": "sequence-me"}}},
  "responses": [
    {"status": 429, "headers": {"Retry-After": "1"}, "body": {"step": 0}},
    {"status": 503, "body": {"step": 1}},
    {"status": 200, "body": {"step": 2}}]})";

const std::string kSequenceBody = valid_body_with("/artifact/prompt", "\"sequence-me\"");

void add_sequence_fixture(const RunningServer& mock, const std::string& fixture) {
  const auto added = mock.client().Post("/__admin/fixtures", fixture, "application/json");
  REQUIRE(added);
  INFO(added->body);
  REQUIRE(added->status == 201);
}

httplib::Result publish_as(const RunningServer& mock, const httplib::Headers& headers,
                           const std::string& body = kSequenceBody) {
  return mock.client().Post("/api/registries/artifacts", headers, body, "application/json");
}

int status_of_publish(const RunningServer& mock, const httplib::Headers& headers,
                      const std::string& body = kSequenceBody) {
  const auto result = publish_as(mock, headers, body);
  return result ? result->status : 0;
}

// The statuses `count` publishes in a row get.
std::vector<int> statuses_in_a_row(const RunningServer& mock, const httplib::Headers& headers,
                                   int count) {
  std::vector<int> statuses;
  for (int i = 0; i < count; ++i) statuses.push_back(status_of_publish(mock, headers));
  return statuses;
}

// POST /__admin/scopes/reset with `body`; the parsed answer.
rapidjson::Document reset_scope(const RunningServer& mock, const std::string& body) {
  const auto answer = mock.client().Post("/__admin/scopes/reset", body, "application/json");
  REQUIRE(answer);
  INFO(answer->body);
  REQUIRE(answer->status == 200);
  return parse(answer->body);
}

std::string scope_label_of_key(const RunningServer& mock, const std::string& key) {
  return reset_scope(mock, R"({"apiKey": ")" + key + R"("})")["scope"].GetString();
}

int journal_count(const RunningServer& mock, const std::string& query) {
  const auto answer = mock.client().Post("/__admin/requests/count", query, "application/json");
  REQUIRE(answer);
  INFO(answer->body);
  REQUIRE(answer->status == 200);
  return parse(answer->body)["count"].GetInt();
}

using Statuses = std::vector<int>;

}  // namespace

TEST_CASE("sequences: each API key walks the sequence on its own, also in parallel") {
  RunningServer mock;
  add_sequence_fixture(mock, kRetrySequence);
  const httplib::Headers key_a{{"X-API-Key", "k-sequence-a"}};
  const httplib::Headers key_b{{"Authorization", "Bearer k-sequence-b"}};
  std::promise<void> go;
  std::shared_future<void> start = go.get_future().share();
  auto run = [&](const httplib::Headers& headers) {
    return std::async(std::launch::async, [&mock, headers, start] {
      start.wait();
      return statuses_in_a_row(mock, headers, 4);
    });
  };
  auto a = run(key_a);
  auto b = run(key_b);
  go.set_value();
  CHECK(a.get() == Statuses{429, 503, 200, 200});
  CHECK(b.get() == Statuses{429, 503, 200, 200});
  // The same key sent the other way is the same scope: it is past the end already.
  CHECK(status_of_publish(mock, {{"Authorization", "Bearer k-sequence-a"}}) == 200);
  // A new key starts at the beginning.
  CHECK(status_of_publish(mock, {{"X-API-Key", "k-sequence-c"}}) == 429);
}

TEST_CASE("sequences: concurrent requests in one scope get consecutive steps, never the same") {
  constexpr int kSteps = 24;
  std::string steps;
  for (int i = 0; i < kSteps; ++i) {
    steps += (i ? "," : "") + std::string(R"({"status": 200, "body": {"step": )") +
             std::to_string(i) + "}}";
  }
  RunningServer mock;
  add_sequence_fixture(mock, R"({"name": "counted", "priority": 100, "scope": "global",
                                 "responses": [)" +
                                 steps + "]}");
  std::promise<void> go;
  std::shared_future<void> start = go.get_future().share();
  std::vector<std::future<int>> answers;
  for (int i = 0; i < kSteps; ++i) {
    answers.push_back(std::async(std::launch::async, [&mock, start, i] {
      start.wait();
      // Different keys: a global scope is shared by all of them.
      const auto result =
          publish_as(mock, {{"X-API-Key", "k-parallel-" + std::to_string(i)}}, kValidBody);
      return result && result->status == 200 ? parse(result->body)["step"].GetInt() : -1;
    }));
  }
  go.set_value();
  std::set<int> seen;
  for (auto& answer : answers) seen.insert(answer.get());
  CHECK(seen.size() == kSteps);
  CHECK(*seen.begin() == 0);
  CHECK(*seen.rbegin() == kSteps - 1);
}

TEST_CASE("sequences: repeat, cycle, a session header scope, and per-step faults") {
  RunningServer mock;
  add_sequence_fixture(mock, R"({"name": "sessions", "priority": 100, "afterLast": "cycle",
      "scope": {"header": "X-Mock-Session"},
      "when": {"body": {"/artifact/prompt": {"equals": "sequence-me"}}},
      "responses": [{"status": 500, "repeat": 2}, {"status": 200}]})");
  const httplib::Headers session_a{{"X-API-Key", "k-same"}, {"X-Mock-Session", "a"}};
  const httplib::Headers session_b{{"X-API-Key", "k-same"}, {"X-Mock-Session", "b"}};
  CHECK(statuses_in_a_row(mock, session_a, 4) == Statuses{500, 500, 200, 500});
  CHECK(statuses_in_a_row(mock, session_b, 3) == Statuses{500, 500, 200});

  add_sequence_fixture(mock, R"({"name": "drops-first", "priority": 200,
      "when": {"body": {"/artifact/prompt": {"equals": "drop-me"}}},
      "responses": [{"status": 200, "fault": "connection_reset"}, {"status": 201}]})");
  const std::string drop_body = valid_body_with("/artifact/prompt", "\"drop-me\"");
  CHECK(status_of_publish(mock, {{"X-API-Key", "k-drop"}}, drop_body) == 0);  // no response
  CHECK(status_of_publish(mock, {{"X-API-Key", "k-drop"}}, drop_body) == 201);
}

TEST_CASE("sequences advance only when they answer; Prefer example picks them and advances") {
  RunningServer mock;
  add_sequence_fixture(mock, kRetrySequence);
  const httplib::Headers key{{"X-API-Key", "k-advance"}};
  // Refused by the contract, and answered by another fixture: no turn taken.
  CHECK(status_of_publish(mock, key, valid_body_with("/artifact/version", "1")) == 400);
  CHECK(status_of_publish(mock, key, kValidBody) == 200);
  CHECK(status_of_publish(mock, key, kSequenceBody) == 429);
  // Prefer names the sequence for a body its conditions do not match: its next step answers.
  const auto preferred = publish_as(
      mock, {{"X-API-Key", "k-advance"}, {"Prefer", "example=retry-sequence"}}, kValidBody);
  REQUIRE(preferred);
  CHECK(preferred->status == 503);
  CHECK(preferred->get_header_value("X-Mock-Fixture") == "retry-sequence");
  CHECK(status_of_publish(mock, key, kSequenceBody) == 200);
  // A preferred code never picks a sequence, whose status depends on its position.
  CHECK(status_of_publish(mock, {{"X-API-Key", "k-other"}, {"Prefer", "code=503"}}) == 400);
}

TEST_CASE("admin scopes: listed with positions and publishes, reset one by key or label, all") {
  auto config = prm_mock::testing::quiet_config();
  config.stateful = true;
  RunningServer mock(config);
  add_sequence_fixture(mock, kRetrySequence);
  const auto summary = parse(mock.client().Get("/__admin/fixtures")->body);
  for (const auto& fixture : summary["fixtures"].GetArray()) {
    const bool sequence = std::string(fixture["name"].GetString()) == "retry-sequence";
    CHECK(fixture["steps"].GetInt() == (sequence ? 3 : 1));
    CHECK(fixture.HasMember("scope") == sequence);
    if (sequence) CHECK(std::string(fixture["scope"].GetString()) == "apiKey");
  }
  const httplib::Headers key_a{{"X-API-Key", "k-scopes-a"}};
  const httplib::Headers key_b{{"X-API-Key", "k-scopes-b"}};
  CHECK(statuses_in_a_row(mock, key_a, 2) == Statuses{429, 503});
  CHECK(status_of_publish(mock, key_b, kSequenceBody) == 429);
  // --stateful remembers publishes per scope: the same identity from another key is not a
  // duplicate, from the same key it is.
  CHECK(status_of_publish(mock, key_a, kValidBody) == 200);
  CHECK(status_of_publish(mock, key_b, kValidBody) == 200);
  CHECK(status_of_publish(mock, key_a, kValidBody) == 409);

  const auto listing = mock.client().Get("/__admin/scopes");
  REQUIRE(listing);
  CHECK(listing->status == 200);
  CHECK(listing->body.find("k-scopes") == std::string::npos);
  const auto scopes = parse(listing->body);
  REQUIRE(scopes["count"].GetInt() == 2);
  const rapidjson::Value& list = scopes["scopes"];
  int sequences_seen = 0;
  for (const auto& scope : list.GetArray()) {
    const std::string label = scope["scope"].GetString();
    CHECK(label.starts_with("key:"));
    CHECK(scope["publishes"].GetInt() == 1);
    REQUIRE(scope["sequences"].Size() == 1);
    const rapidjson::Value& sequence = scope["sequences"][0];
    CHECK(std::string(sequence["fixture"].GetString()) == "retry-sequence");
    CHECK(sequence["steps"].GetInt() == 3);
    const int answered = sequence["answered"].GetInt();
    CHECK((answered == 1 || answered == 2));
    CHECK(sequence["nextStep"].GetInt() == answered);
    sequences_seen += answered;
  }
  CHECK(sequences_seen == 3);

  // A test that knows only its key resets its own scope; the other keeps its position.
  const auto reset_a = reset_scope(mock, R"({"apiKey": "k-scopes-a"})");
  CHECK(reset_a["reset"].GetBool());
  const std::string scope_a = reset_a["scope"].GetString();
  CHECK(status_of_publish(mock, key_a, kSequenceBody) == 429);
  CHECK(status_of_publish(mock, key_a, kValidBody) == 200);  // its publishes forgotten too
  CHECK(status_of_publish(mock, key_b, kSequenceBody) == 503);
  // By label, as listed.
  CHECK(reset_scope(mock, R"({"scope": ")" + scope_a + R"("})")["reset"].GetBool());
  CHECK_FALSE(reset_scope(mock, R"({"scope": ")" + scope_a + R"("})")["reset"].GetBool());
  CHECK(status_of_publish(mock, key_a, kSequenceBody) == 429);

  const auto bad =
      mock.client().Post("/__admin/scopes/reset", R"({"apiKey": 5})", "application/json");
  REQUIRE(bad);
  CHECK(bad->status == 400);
  const auto neither = mock.client().Post("/__admin/scopes/reset", "{}", "application/json");
  REQUIRE(neither);
  CHECK(neither->status == 400);

  // All at once, by DELETE or by the general reset.
  REQUIRE(mock.client().Delete("/__admin/scopes", kAdminStateChange)->status == 200);
  CHECK(parse(mock.client().Get("/__admin/scopes")->body)["count"].GetInt() == 0);
  CHECK(status_of_publish(mock, key_b, kSequenceBody) == 429);
  CHECK(status_of_publish(mock, key_b, kSequenceBody) == 503);
  // The general reset also removes fixtures added at run time: the same one added again (same
  // text, so the same revision) would go on where it was if the scopes had been kept.
  REQUIRE(mock.client().Post("/__admin/reset", "", "application/json")->status == 200);
  add_sequence_fixture(mock, kRetrySequence);
  CHECK(status_of_publish(mock, key_b, kSequenceBody) == 429);
  CHECK(mock.client().Put("/__admin/scopes", "", "application/json")->status == 405);
}

TEST_CASE("journal: each entry names its scope; listed and searched by it") {
  RunningServer mock;
  add_sequence_fixture(mock, kRetrySequence);
  const std::string label = scope_label_of_key(mock, "k-journal-scope");
  CHECK(statuses_in_a_row(mock, {{"X-API-Key", "k-journal-scope"}}, 2) == Statuses{429, 503});
  CHECK(status_of_publish(mock, {{"X-API-Key", "k-journal-other"}}, kValidBody) == 200);
  CHECK(status_of_publish(mock, {}, kValidBody) == 401);

  const auto listing = mock.client().Get("/__admin/requests?scope=" + label);
  REQUIRE(listing);
  const auto entries = parse(listing->body);
  REQUIRE(entries["count"].GetInt() == 2);
  CHECK(std::string(entries["requests"][0]["scope"].GetString()) == label);
  CHECK(entries["requests"][1]["status"].GetInt() == 503);
  CHECK(parse(mock.client().Get("/__admin/requests?scope=anonymous")->body)["count"].GetInt() == 1);
  CHECK(journal_count(mock, R"({"scope": ")" + label + R"(", "status": 429})") == 1);
  CHECK(journal_count(mock, R"({"scope": "global"})") == 0);
  // A bad scope or status is refused, not left out of the search.
  for (const char* query : {R"({"scope": 1})", R"({"status": 99})"}) {
    CAPTURE(query);
    const auto bad = mock.client().Post("/__admin/requests/count", query, "application/json");
    REQUIRE(bad);
    CHECK(bad->status == 400);
  }
}

TEST_CASE("journal search: credentials compared by digest; matches refused; present works") {
  RunningServer mock;
  const std::string key = "k-test-17";
  REQUIRE(status_of_publish(mock, {{"X-API-Key", key}}, kValidBody) == 200);
  REQUIRE(status_of_publish(mock, {{"Authorization", "Bearer " + key}}, kValidBody) == 200);
  CHECK(journal_count(mock, R"({"headers": {"X-API-Key": {"equals": "k-test-17"}}})") == 1);
  CHECK(journal_count(mock, R"({"headers": {"x-api-key": {"equals": "k-test-17"}},
                                "status": 200})") == 1);
  CHECK(journal_count(mock, R"({"headers": {"X-API-Key": {"equals": "k-test-18"}}})") == 0);
  CHECK(journal_count(mock, R"({"headers": {"Authorization": {"equals": "Bearer k-test-17"}}})") ==
        1);
  CHECK(journal_count(mock, R"({"headers": {"Authorization": {"present": true}}})") == 1);
  CHECK(journal_count(mock, R"({"headers": {"X-API-Key": {"present": false}}})") == 1);

  const auto found = mock.client().Post(
      "/__admin/requests/find", R"({"headers": {"X-API-Key": {"equals": "k-secret-guess"}}})",
      "application/json");
  REQUIRE(found);
  CHECK(found->body.find("nearMisses") != std::string::npos);
  CHECK(found->body.find("k-secret-guess") == std::string::npos);

  const auto refused = mock.client().Post(
      "/__admin/requests/count", R"({"headers": {"Authorization": {"matches": "^Bearer k-"}}})",
      "application/json");
  REQUIRE(refused);
  CHECK(refused->status == 400);
  const auto error = parse(refused->body);
  CHECK(std::string(error["code"].GetString()) == "BAD_QUERY");
  CHECK(std::string(error["violations"][0]["pointer"].GetString()) ==
        "/headers/Authorization/matches");
  CHECK(std::string(error["violations"][0]["message"].GetString()).find("digest") !=
        std::string::npos);
}

TEST_CASE("--state-scope: the stateful memory shared by all, or kept per session header") {
  auto config = prm_mock::testing::quiet_config();
  config.stateful = true;
  config.state_scope = "global";
  {
    RunningServer mock(config);
    CHECK(status_of_publish(mock, {{"X-API-Key", "k-one"}}, kValidBody) == 200);
    CHECK(status_of_publish(mock, {{"X-API-Key", "k-two"}}, kValidBody) == 409);
    const auto entries = parse(mock.client().Get("/__admin/requests?scope=global")->body);
    CHECK(entries["count"].GetInt() == 2);
  }
  config.state_scope = "header:X-Mock-Session";
  {
    RunningServer mock(config);
    CHECK(status_of_publish(mock, {{"X-API-Key", "k-one"}, {"X-Mock-Session", "a"}}, kValidBody) ==
          200);
    CHECK(status_of_publish(mock, {{"X-API-Key", "k-one"}, {"X-Mock-Session", "b"}}, kValidBody) ==
          200);
    CHECK(status_of_publish(mock, {{"X-API-Key", "k-two"}, {"X-Mock-Session", "a"}}, kValidBody) ==
          409);
    CHECK(
        parse(
            mock.client().Get("/__admin/requests?scope=header%3Ax-mock-session%3Da")->body)["count"]
            .GetInt() == 2);
  }
  config.state_scope = "header:Authorization";
  CHECK_THROWS_AS(prm_mock::Server{config}, std::invalid_argument);
}
