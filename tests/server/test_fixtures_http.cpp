// The fixture engine through HTTP: test values, Prefer, faults seen by a real client, delays that
// block nobody else, --stateful, reload while requests flow, run-time fixtures and journal search.
#include <doctest/doctest.h>
#include <rapidjson/pointer.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "temporary_directory.hpp"
#include "test_server.hpp"

using prm_mock::testing::kValidBody;
using prm_mock::testing::parse;
using prm_mock::testing::raw_exchange;
using prm_mock::testing::RunningServer;
using prm_mock::testing::TemporaryDirectory;
using prm_mock::testing::valid_body_with;

namespace {

// The status of a publish, 0 when no HTTP response came back.
int status_or_zero(const httplib::Result& result) { return result ? result->status : 0; }

httplib::Result post(const RunningServer& mock, const std::string& body,
                     httplib::Headers headers = {}) {
  if (!headers.count("X-API-Key") && !headers.count("Authorization"))
    headers.emplace("X-API-Key", "k-test");
  return mock.client().Post("/api/registries/artifacts", headers, body, "application/json");
}

}  // namespace

TEST_CASE("every default fixture answers to its documented test value") {
  RunningServer mock;
  struct Case {
    std::string body;
    httplib::Headers headers;
    int status;
    const char* fixture;
  };
  const std::vector<Case> cases = {
      {kValidBody, {}, 200, "success"},
      {kValidBody, {{"X-API-Key", "k-invalid"}}, 401, "unauthorized"},
      {kValidBody, {{"Authorization", "Bearer k-invalid"}}, 401, "unauthorized-bearer"},
      {kValidBody, {{"X-API-Key", "k-readonly"}}, 403, "forbidden"},
      {valid_body_with("/registryRef", "\"acme/does-not-exist\""), {}, 404, "registry-not-found"},
      {valid_body_with("/artifact/version", "\"0.0.409\""), {}, 409, "duplicate-version"},
      {valid_body_with("/artifact/prompt", "\"rate-limit-me\""), {}, 429, "rate-limited"},
      {valid_body_with("/artifact/prompt", "\"server-error-me\""), {}, 500, "server-error"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.fixture);
    const auto result = post(mock, c.body, c.headers);
    REQUIRE(result);
    CHECK(result->status == c.status);
    CHECK(result->get_header_value("X-Mock-Fixture") == c.fixture);
    const auto body = parse(result->body);
    REQUIRE(body.IsObject());
    if (c.status != 200) CHECK(body["message"].IsString());
  }
  const auto limited = post(mock, valid_body_with("/artifact/prompt", "\"rate-limit-me\""));
  CHECK(limited->get_header_value("Retry-After") == "1");
}

TEST_CASE("the success fixture echoes the identity with its JSON types") {
  RunningServer mock;
  const auto result = post(mock, kValidBody);
  const auto body = parse(result->body);
  CHECK(std::string(body["version"].GetString()) == "1.2.0");
  CHECK(std::string(body["publishedAt"].GetString()).size() >= 20);
  CHECK(std::string(body["id"].GetString()).size() == 36);
}

TEST_CASE("Prefer forces a response by code or by name, and names nothing unknown silently") {
  RunningServer mock;
  const auto by_code = post(mock, kValidBody, {{"Prefer", "code=429"}});
  CHECK(by_code->status == 429);
  CHECK(by_code->get_header_value("X-Mock-Fixture") == "rate-limited");
  const auto by_name = post(mock, kValidBody, {{"Prefer", "example=registry-not-found"}});
  CHECK(by_name->status == 404);
  const auto unknown = post(mock, kValidBody, {{"Prefer", "code=418"}});
  REQUIRE(unknown);
  CHECK(unknown->status == 400);
  const auto error = parse(unknown->body);
  CHECK(std::string(error["code"].GetString()) == "UNKNOWN_PREFERENCE");
  CHECK(std::string(error["message"].GetString()).find("429") != std::string::npos);
  CHECK(status_or_zero(post(mock, kValidBody, {{"Prefer", "example=nope"}})) == 400);
}

TEST_CASE("faults: a real client sees each failure") {
  TemporaryDirectory directory("faults");
  for (const char* fault : {"connection_reset", "empty_response", "malformed_body", "timeout"}) {
    directory.write(
        std::string(fault) + ".json",
        std::string(R"({"name":"fault-)") + fault +
            R"(","priority":-1,"response":{"status":200,"body":{"message":"ok"}},"fault":")" +
            fault + R"("})");
  }
  auto config = prm_mock::testing::quiet_config();
  config.fixture_dirs = {directory.path().string()};
  RunningServer mock(config);
  const auto forced = [&](const char* fault, int read_timeout_seconds = 5) {
    auto client = mock.client();
    client.set_read_timeout(read_timeout_seconds, 0);
    return client.Post("/api/registries/artifacts",
                       {{"X-API-Key", "k"}, {"Prefer", std::string("example=fault-") + fault}},
                       kValidBody, "application/json");
  };
  SUBCASE("connection_reset and empty_response: no HTTP response at all") {
    for (const char* fault : {"connection_reset", "empty_response"}) {
      const auto result = forced(fault);
      CHECK_FALSE(result);
      CHECK(result.error() == httplib::Error::Read);
    }
    // On the wire: a reset sends nothing; an empty response closes with zero bytes.
    const std::string request =
        "POST /api/registries/artifacts HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: k\r\nPrefer: "
        "example=fault-empty_response\r\n"
        "Content-Type: application/json\r\nContent-Length: " +
        std::to_string(kValidBody.size()) + "\r\n\r\n" + kValidBody;
    CHECK(raw_exchange(mock.port(), request).empty());
  }
  SUBCASE("malformed_body: a valid status line and a body that does not parse") {
    const auto result = forced("malformed_body");
    REQUIRE(result);
    CHECK(result->status == 200);
    CHECK(parse(result->body).HasParseError());
  }
  SUBCASE("timeout: held until the client gives up") {
    const auto start = std::chrono::steady_clock::now();
    const auto result = forced("timeout", 1);
    CHECK_FALSE(result);
    CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(900));
  }
  CHECK(status_or_zero(post(mock, kValidBody)) == 200);
}

TEST_CASE("a delayed fixture delays only its own response") {
  // A minute: the other requests below could only be answered in time (the client gives up after
  // 10 s) if the delay holds up nothing but its own response.
  TemporaryDirectory directory("delay");
  directory.write(
      "slow.json",
      R"({"name":"slow","priority":-1,"response":{"status":200,"body":{"message":"late"}},"delayMs":60000})");
  auto config = prm_mock::testing::quiet_config();
  config.threads = 1;
  config.fixture_dirs = {directory.path().string()};
  RunningServer mock(config);
  auto slow = std::async(std::launch::async, [&] {
    return status_or_zero(post(mock, kValidBody, {{"X-API-Key", "k"}, {"Prefer", "example=slow"}}));
  });
  // Journaled as soon as it is decided, before its delay: then it surely occupies what it occupies.
  const auto journaled = [&] {
    const auto listing = mock.client().Get("/__admin/requests?fixture=slow");
    return listing && parse(listing->body)["count"].GetInt() == 1;
  };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!journaled() && std::chrono::steady_clock::now() < deadline) {
  }
  REQUIRE(journaled());
  for (int i = 0; i < 20; ++i) REQUIRE(status_or_zero(post(mock, kValidBody)) == 200);
  CHECK(slow.wait_for(std::chrono::seconds(0)) != std::future_status::ready);
  // Shutting down sends a delayed response at once.
  mock.server().stop();
  CHECK(slow.get() == 200);
}

TEST_CASE("--stateful: many clients publish the same identity at once, exactly one wins") {
  auto config = prm_mock::testing::quiet_config();
  config.stateful = true;
  RunningServer mock(config);
  constexpr int kClients = 16;
  std::vector<std::future<int>> statuses;
  std::promise<void> go;
  std::shared_future<void> start = go.get_future().share();
  for (int i = 0; i < kClients; ++i) {
    statuses.push_back(std::async(std::launch::async, [&] {
      start.wait();
      return status_or_zero(post(mock, kValidBody));
    }));
  }
  go.set_value();
  int ok = 0, duplicates = 0;
  for (auto& status : statuses) {
    const int value = status.get();
    ok += value == 200;
    duplicates += value == 409;
  }
  CHECK(ok == 1);
  CHECK(duplicates == kClients - 1);
  // Another version is a new identity; reset forgets them all.
  CHECK(status_or_zero(post(mock, valid_body_with("/artifact/version", "\"1.2.1\""))) == 200);
  REQUIRE(mock.client().Post("/__admin/reset", "", "application/json")->status == 200);
  CHECK(status_or_zero(post(mock, kValidBody)) == 200);
}

TEST_CASE(
    "fixtures reload when their files change, while requests flow; a bad edit keeps the old set") {
  TemporaryDirectory directory("reload");
  directory.write("custom.json",
                  R"({"name":"custom","priority":500,"response":{"status":201,"body":{"v":1}}})");
  auto config = prm_mock::testing::quiet_config();
  config.fixture_dirs = {directory.path().string()};
  RunningServer mock(config);
  REQUIRE(status_or_zero(post(mock, kValidBody)) == 201);
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::thread traffic([&] {
    while (!stop) {
      const auto result = post(mock, kValidBody);
      if (!result || (result->status != 201 && result->status != 202)) ++failures;
    }
  });
  directory.write("custom.json",
                  R"({"name":"custom","priority":500,"response":{"status":202,"body":{"v":2}}})");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline &&
         (status = status_or_zero(post(mock, kValidBody))) != 202) {
    std::this_thread::yield();
  }
  CHECK(status == 202);
  directory.write("custom.json", R"({"name":"custom","prority":1,"response":{"status":203}})");
  // The bad edit is refused: the set keeps answering 202 (checked a few times over the poll
  // period).
  for (int i = 0; i < 50; ++i) CHECK(status_or_zero(post(mock, kValidBody)) == 202);
  stop = true;
  traffic.join();
  CHECK(failures.load() == 0);
}

TEST_CASE("admin fixtures: list, read, add, replace, delete, and reject like a file") {
  RunningServer mock;
  auto client = mock.client();
  const auto list = parse(client.Get("/__admin/fixtures")->body);
  CHECK(list["count"].GetInt() >= 7);
  CHECK(client.Get("/__admin/fixtures/success")->body.find("\"name\": \"success\"") !=
        std::string::npos);
  CHECK(client.Get("/__admin/fixtures/nope")->status == 404);
  CHECK(client.Get("/__admin/fixtures/..%2Fetc")->status == 400);

  const std::string teapot =
      R"({"name":"teapot","priority":900,"response":{"status":418,"body":{"message":"short and stout"}}})";
  CHECK(client.Post("/__admin/fixtures", teapot, "application/json")->status == 201);
  CHECK(status_or_zero(post(mock, kValidBody)) == 418);
  CHECK(client.Post("/__admin/fixtures", teapot, "application/json")->status == 200);
  const auto typo =
      client.Post("/__admin/fixtures", R"({"name":"bad","prority":1,"response":{"status":200}})",
                  "application/json");
  REQUIRE(typo);
  CHECK(typo->status == 400);
  CHECK(typo->body.find("prority") != std::string::npos);
  CHECK(client.Delete("/__admin/fixtures/teapot", prm_mock::testing::kAdminStateChange)->status ==
        200);
  CHECK(status_or_zero(post(mock, kValidBody)) == 200);
  // Reset restores what the files say, undoing run-time edits.
  REQUIRE(
      client.Delete("/__admin/fixtures/success", prm_mock::testing::kAdminStateChange)->status ==
      200);
  REQUIRE(client.Post("/__admin/reset", "", "application/json")->status == 200);
  CHECK(status_or_zero(post(mock, kValidBody)) == 200);
}

TEST_CASE("journal search: count and find with the fixture syntax, near misses when none match") {
  RunningServer mock;
  REQUIRE(status_or_zero(post(mock, kValidBody)) == 200);
  REQUIRE(status_or_zero(post(mock, valid_body_with("/artifact/version", "\"2.0.0\""))) == 200);
  auto client = mock.client();
  const auto count = parse(
      client
          .Post(
              "/__admin/requests/count",
              R"({"body":{"/artifact/version":{"equals":"1.2.0"},"/artifact/hash":{"matches":"^9f86"}},"status":200})",
              "application/json")
          ->body);
  CHECK(count["count"].GetInt() == 1);
  const auto found =
      parse(client
                .Post("/__admin/requests/find",
                      R"({"body":{"/artifact/version":{"present":true}}})", "application/json")
                ->body);
  CHECK(found["requests"].Size() == 2);
  const auto none = parse(
      client
          .Post(
              "/__admin/requests/find",
              R"({"body":{"/artifact/version":{"equals":"9.9.9"},"/registryRef":{"equals":"acme/prompts"}}})",
              "application/json")
          ->body);
  CHECK(none["count"].GetInt() == 0);
  REQUIRE(none["nearMisses"].Size() == 2);
  CHECK(none["nearMisses"][0]["failed"].Size() == 1);
  CHECK(std::string(none["nearMisses"][0]["failed"][0].GetString()).find("/artifact/version") !=
        std::string::npos);
  const auto bad =
      client.Post("/__admin/requests/count", R"({"body":{"/artifact/version":{"equal":"1"}}})",
                  "application/json");
  REQUIRE(bad);
  CHECK(bad->status == 400);
}
