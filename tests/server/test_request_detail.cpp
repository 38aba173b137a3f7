// One journal entry through HTTP: the response the mock sent, GET /__admin/requests/{id} with the
// fixtures that came closest when none answered, and each fixture's hits.
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "test_server.hpp"

using prm_mock::testing::kAdminStateChange;
using prm_mock::testing::kValidBody;
using prm_mock::testing::parse;
using prm_mock::testing::RunningServer;
using prm_mock::testing::valid_body_with;

namespace {

constexpr const char* kSecretKey = "sk-live-very-secret-key-123456";

std::string text_of(const rapidjson::Value& value) {
  return std::string(value.GetString(), value.GetStringLength());
}

void add_fixture(const RunningServer& mock, const std::string& fixture) {
  const auto added = mock.client().Post("/__admin/fixtures", fixture, "application/json");
  REQUIRE(added);
  REQUIRE(added->status == 201);
}

void delete_fixture(const RunningServer& mock, const std::string& name) {
  const auto deleted = mock.client().Delete("/__admin/fixtures/" + name, kAdminStateChange);
  REQUIRE(deleted);
  REQUIRE(deleted->status == 200);
}

// GET /__admin/requests/{id}, parsed; the request id comes from the answer's X-Request-Id.
rapidjson::Document detail_of(const RunningServer& mock, const std::string& id) {
  const auto answer = mock.client().Get("/__admin/requests/" + id);
  REQUIRE(answer);
  REQUIRE(answer->status == 200);
  CHECK(answer->get_header_value("Content-Type").starts_with("application/json"));
  auto json = parse(answer->body);
  REQUIRE_FALSE(json.HasParseError());
  return json;
}

std::string request_id_of(const httplib::Result& answer) {
  REQUIRE(answer);
  const std::string id = answer->get_header_value("X-Request-Id");
  REQUIRE_FALSE(id.empty());
  return id;
}

std::vector<std::string> names_of(const rapidjson::Value& near_misses) {
  std::vector<std::string> names;
  for (const auto& miss : near_misses.GetArray()) names.push_back(text_of(miss["fixture"]));
  return names;
}

// The newest journal entry, from the listing.
rapidjson::Document newest_entry(const RunningServer& mock) {
  const auto listing = mock.client().Get("/__admin/requests");
  REQUIRE(listing);
  const auto json = parse(listing->body);
  REQUIRE(json["requests"].Size() > 0);
  rapidjson::Document entry;
  entry.CopyFrom(json["requests"][json["requests"].Size() - 1], entry.GetAllocator());
  return entry;
}

}  // namespace

TEST_CASE("the journal keeps the response sent: a fixture's 201 and a contract violation's 400") {
  RunningServer mock;
  add_fixture(mock, R"({"name":"created","priority":500,
      "when":{"body":{"/artifact/prompt":{"equals":"make-201"}}},
      "response":{"status":201,"headers":{"Location":"/api/registries/artifacts/{{requestId}}"},
                  "body":{"id":"{{requestId}}","created":true}}})");
  const auto created = mock.publish(valid_body_with("/artifact/prompt", R"("make-201")"));
  REQUIRE(created);
  REQUIRE(created->status == 201);
  const std::string id = request_id_of(created);

  const auto detail = detail_of(mock, id);
  const auto& entry = detail["request"];
  CHECK(text_of(entry["id"]) == id);
  CHECK(text_of(entry["fixture"]) == "created");
  const auto& response = entry["response"];
  REQUIRE(response.IsObject());
  CHECK(response["status"].GetInt() == 201);
  CHECK(text_of(response["headers"]["Location"]) == "/api/registries/artifacts/" + id);
  CHECK(text_of(response["headers"]["X-Request-Id"]) == id);
  CHECK(text_of(response["headers"]["X-Mock-Fixture"]) == "created");
  CHECK(text_of(response["body"]["id"]) == id);  // the body as sent, parsed
  CHECK(response["body"]["created"].IsTrue());
  CHECK(response["bodyTruncated"].IsFalse());
  CHECK(detail["nearMisses"].IsArray());
  CHECK(detail["nearMisses"].Empty());  // a fixture answered

  const auto rejected = mock.publish(R"({"registryRef":"acme/prompts"})");
  REQUIRE(rejected);
  REQUIRE(rejected->status == 400);
  const auto rejected_detail = detail_of(mock, request_id_of(rejected));
  const auto& sent = rejected_detail["request"]["response"];
  CHECK(sent["status"].GetInt() == 400);
  CHECK(text_of(sent["headers"]["Content-Type"]).starts_with("application/json"));
  CHECK(text_of(sent["body"]["code"]) == "CONTRACT_VIOLATION");
  REQUIRE(sent["body"]["violations"].Size() > 0);
  CHECK(text_of(sent["body"]["violations"][0]["pointer"]) == "/artifact");
  // The journal's own list of violations says the same.
  CHECK(rejected_detail["request"]["violations"].Size() == sent["body"]["violations"].Size());
}

TEST_CASE("a response body past the journal's body limit is kept cut, and says so") {
  RunningServer mock;
  const std::string blob(70 * 1024, 'z');
  add_fixture(mock, R"({"name":"big","priority":500,"response":{"status":200,"body":{"blob":")" +
                        blob + R"("}}})");
  const auto answer = mock.publish(kValidBody);
  REQUIRE(answer);
  REQUIRE(answer->status == 200);
  CHECK(answer->body.size() > blob.size());  // the client got it whole
  const auto detail = detail_of(mock, request_id_of(answer));
  const auto& response = detail["request"]["response"];
  CHECK(response["bodyTruncated"].IsTrue());
  REQUIRE(response["body"].IsString());  // cut JSON no longer parses: kept as text
  CHECK(response["body"].GetStringLength() == 64 * 1024);
  CHECK(text_of(response["body"]).starts_with(R"({"blob":"zzz)"));
}

TEST_CASE("no credential of the response reaches the journal: headers, Set-Cookie, echoed keys") {
  RunningServer mock;
  add_fixture(mock, R"({"name":"echo","priority":500,"response":{"status":200,
      "headers":{"Set-Cookie":"session=cookie-secret-value-1234; HttpOnly",
                 "X-Echo":"{{header:X-API-Key}}"},
      "body":{"yourKey":"{{header:X-API-Key}}"}}})");
  const auto answer = mock.client().Post("/api/registries/artifacts", {{"X-API-Key", kSecretKey}},
                                         kValidBody, "application/json");
  REQUIRE(answer);
  REQUIRE(answer->status == 200);
  REQUIRE(answer->get_header_value("X-Echo") == kSecretKey);  // the client did get its key back
  REQUIRE(answer->body.find(kSecretKey) != std::string::npos);

  const std::string id = request_id_of(answer);
  const auto detail_text = mock.client().Get("/__admin/requests/" + id);
  const auto listing = mock.client().Get("/__admin/requests");
  REQUIRE(detail_text);
  REQUIRE(listing);
  for (const std::string& shown : {detail_text->body, listing->body}) {
    CHECK(shown.find(kSecretKey) == std::string::npos);
    CHECK(shown.find("cookie-secret-value") == std::string::npos);
  }
  const auto detail = parse(detail_text->body);
  const auto& response = detail["request"]["response"];
  CHECK(text_of(response["headers"]["Set-Cookie"]).starts_with("[redacted]\u2026"));
  // Redacted as the request's own header is: the same fingerprint tells which key it was.
  const std::string request_key = text_of(detail["request"]["headers"]["X-API-Key"]);
  CHECK(request_key == "[redacted]\u20263456");
  CHECK(text_of(response["headers"]["X-Echo"]) == request_key);
  CHECK(text_of(response["body"]["yourKey"]) == request_key);
}

TEST_CASE("a fault that sends nothing is journaled with response null") {
  RunningServer mock;
  add_fixture(
      mock,
      R"({"name":"reset","priority":500,"response":{"status":200},"fault":"connection_reset"})");
  CHECK_FALSE(mock.publish(kValidBody));  // the connection was reset: no answer at all
  const auto entry = newest_entry(mock);
  CHECK(text_of(entry["fixture"]) == "reset");
  CHECK(entry["response"].IsNull());
}

TEST_CASE("GET /__admin/requests/{id}: 404 REQUEST_NOT_FOUND for an id the journal does not hold") {
  RunningServer mock;
  const std::string id = request_id_of(mock.publish(kValidBody));
  CHECK(detail_of(mock, id)["request"]["status"].GetInt() == 200);
  const auto unknown = mock.client().Get("/__admin/requests/00000000-0000-4000-8000-000000000000");
  REQUIRE(unknown);
  CHECK(unknown->status == 404);
  CHECK(text_of(parse(unknown->body)["code"]) == "REQUEST_NOT_FOUND");
  // Cleared with the journal.
  REQUIRE(mock.client().Delete("/__admin/requests", kAdminStateChange)->status == 200);
  CHECK(mock.client().Get("/__admin/requests/" + id)->status == 404);
  // count and find are routes of their own, not ids.
  const auto count = mock.client().Get("/__admin/requests/count");
  REQUIRE(count);
  CHECK(count->status == 405);
  CHECK(count->get_header_value("Allow") == "POST");
}

TEST_CASE("near misses: the fixtures closest to a request none answered, and what each failed") {
  RunningServer mock;
  for (const char* name : {"success", "unauthorized", "forbidden"}) delete_fixture(mock, name);
  // Its key condition holds (compared by digest: the journal keeps no key), its version does not.
  add_fixture(mock, R"({"name":"needs-key","priority":85,"when":{
      "headers":{"X-API-Key":{"equals":"k-test"}},
      "body":{"/artifact/version":{"equals":"9.9.9"}}},"response":{"status":200}})");

  const auto unmatched = mock.publish(kValidBody);  // X-API-Key: k-test
  REQUIRE(unmatched);
  REQUIRE(unmatched->status == 500);  // NO_FIXTURE_MATCHED
  const auto detail = detail_of(mock, request_id_of(unmatched));
  CHECK(detail["request"]["fixture"].IsNull());
  const auto& misses = detail["nearMisses"];
  // One failed condition each, in rank order; the bearer fixtures, ranked higher, fail two.
  CHECK(names_of(misses) ==
        std::vector<std::string>{"needs-key", "rate-limited", "registry-not-found"});
  REQUIRE(misses.Size() == 3);
  REQUIRE(misses[0]["failed"].Size() == 1);
  CHECK(text_of(misses[0]["failed"][0]) == R"(body /artifact/version {"equals":"9.9.9"})");
  CHECK(text_of(misses[0]["file"]) == "POST /__admin/fixtures");
  REQUIRE(misses[1]["failed"].Size() == 1);
  CHECK(text_of(misses[1]["failed"][0]) == R"(body /artifact/prompt {"equals":"rate-limit-me"})");
  CHECK(text_of(misses[1]["file"]).ends_with("rate-limited.json"));

  // A regex on a credential header cannot run on the journal's digest: said so, when it was sent.
  const auto bearer =
      mock.client().Post("/api/registries/artifacts", {{"Authorization", "Bearer k-someone"}},
                         kValidBody, "application/json");
  REQUIRE(bearer);
  REQUIRE(bearer->status == 500);
  const auto bearer_detail = detail_of(mock, request_id_of(bearer));
  const auto& bearer_misses = bearer_detail["nearMisses"];
  REQUIRE(bearer_misses.Size() == 3);
  CHECK(text_of(bearer_misses[0]["fixture"]) == "unauthorized-bearer");
  REQUIRE(bearer_misses[0]["failed"].Size() == 1);
  CHECK(text_of(bearer_misses[0]["failed"][0]) ==
        R"(headers Authorization {"matches":"^[Bb][Ee][Aa][Rr][Ee][Rr] +k-invalid *$"})"
        " (not checked: the journal keeps only a digest)");
}

TEST_CASE("GET /__admin/fixtures: each fixture's hits since start or the last reset") {
  RunningServer mock;
  const auto hits = [&mock] {
    const auto listing = mock.client().Get("/__admin/fixtures");
    REQUIRE(listing);
    std::map<std::string, int> by_name;
    const auto json = parse(listing->body);
    for (const auto& fixture : json["fixtures"].GetArray()) {
      REQUIRE(fixture.HasMember("hits"));
      by_name[text_of(fixture["name"])] = fixture["hits"].GetInt();
    }
    return by_name;
  };
  CHECK(hits()["success"] == 0);
  REQUIRE(mock.publish(kValidBody)->status == 200);
  REQUIRE(mock.publish(kValidBody)->status == 200);
  REQUIRE(mock.publish(valid_body_with("/artifact/prompt", R"("rate-limit-me")"))->status == 429);
  REQUIRE(mock.publish(R"({"registryRef":"acme/prompts"})")->status == 400);  // no fixture
  auto counted = hits();
  CHECK(counted["success"] == 2);
  CHECK(counted["rate-limited"] == 1);
  CHECK(counted["unauthorized"] == 0);

  REQUIRE(mock.client().Post("/__admin/reset", "", "application/json")->status == 200);
  counted = hits();
  CHECK(counted["success"] == 0);
  CHECK(counted["rate-limited"] == 0);
  // The Prometheus counter the hits come from never goes back.
  CHECK(prm_mock::testing::metrics_text(mock).find(
            "prm_mock_fixture_responses_total{fixture=\"success\"} 2") != std::string::npos);
  REQUIRE(mock.publish(kValidBody)->status == 200);
  CHECK(hits()["success"] == 1);
}
