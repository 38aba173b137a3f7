// The admin API and the journal through HTTP: what a client's integration test would ask.
#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "hostile_checks.hpp"
#include "raw_connection.hpp"
#include "test_server.hpp"

using prm_mock::testing::error_code_of;
using prm_mock::testing::kValidBody;
using prm_mock::testing::parse;
using prm_mock::testing::raw_exchange;
using prm_mock::testing::response_count;
using prm_mock::testing::RunningServer;
using prm_mock::testing::status_of;

namespace {

constexpr const char* kSecretKey = "sk-live-very-secret-key-123456";

httplib::Result publish_with_secret(const RunningServer& mock, const std::string& body) {
  return mock.client().Post("/api/registries/artifacts", {{"X-API-Key", kSecretKey}}, body,
                            "application/json");
}

std::filesystem::path temporary_file(const std::string& name) {
  auto path = std::filesystem::temp_directory_path() /
              ("prm-mock-test-" + std::to_string(::getpid()) + "-" + name);
  std::filesystem::remove(path);
  return path;
}

std::vector<std::string> lines_of(const std::filesystem::path& path) {
  std::ifstream file(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(file, line);) lines.push_back(line);
  return lines;
}

// An admin request as raw bytes on a keep-alive connection, with the header a state-changing admin
// request needs (admin_origin_policy.hpp) and `body` framed by Content-Length.
std::string keep_alive_admin_request(const std::string& method, const std::string& path,
                                     const std::string& extra_lines = "",
                                     const std::string& body = "") {
  return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Requested-With: test\r\n" +
         extra_lines + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

}  // namespace

TEST_CASE("the journal lists every request, accepted or rejected, newest last") {
  RunningServer mock;
  REQUIRE(publish_with_secret(mock, kValidBody)->status == 200);
  REQUIRE(publish_with_secret(mock, R"({"registryRef":"a/b"})")->status == 400);
  REQUIRE(publish_with_secret(mock, "{not json")->status == 400);
  REQUIRE(mock.client().Get("/elsewhere")->status == 404);

  const auto listing = mock.client().Get("/__admin/requests");
  REQUIRE(listing);
  REQUIRE(listing->status == 200);
  CHECK(listing->body.find(kSecretKey) == std::string::npos);
  const auto json = parse(listing->body);
  CHECK(json["total"].GetInt() == 4);
  CHECK(json["dropped"].GetInt() == 0);
  const auto& requests = json["requests"];
  REQUIRE(requests.Size() == 4);
  CHECK(requests[0]["status"].GetInt() == 200);
  CHECK(std::string(requests[0]["body"]["artifact"]["version"].GetString()) == "1.2.0");
  CHECK(std::string(requests[0]["headers"]["X-API-Key"].GetString()).find("[redacted]") == 0);
  CHECK(requests[1]["violations"].Size() == 1);
  CHECK(std::string(requests[1]["violations"][0]["pointer"].GetString()) == "/artifact");
  CHECK(std::string(requests[2]["body"].GetString()) == "{not json");
  CHECK(std::string(requests[3]["path"].GetString()) == "/elsewhere");
  // The journal id is the X-Request-Id the client saw.
  const auto again = publish_with_secret(mock, kValidBody);
  const auto last = parse(mock.client().Get("/__admin/requests?limit=1")->body);
  CHECK(std::string(last["requests"][0]["id"].GetString()) ==
        again->get_header_value("X-Request-Id"));
}

TEST_CASE("journal filters: status, limit, since; DELETE and reset empty it") {
  RunningServer mock;
  for (int i = 0; i < 3; ++i) REQUIRE(mock.publish(kValidBody)->status == 200);
  REQUIRE(mock.publish("[")->status == 400);
  auto client = mock.client();
  CHECK(parse(client.Get("/__admin/requests?status=400")->body)["count"].GetInt() == 1);
  CHECK(parse(client.Get("/__admin/requests?status=200&limit=2")->body)["count"].GetInt() == 2);
  const auto all = parse(client.Get("/__admin/requests")->body);
  const std::string first_id = all["requests"][0]["id"].GetString();
  CHECK(
      parse(client.Get(("/__admin/requests?since=" + first_id).c_str())->body)["count"].GetInt() ==
      3);
  CHECK(client.Get("/__admin/requests?status=abc")->status == 400);
  CHECK(client.Get("/__admin/requests?since=not-a-time-or-id")->status == 400);

  REQUIRE(client.Delete("/__admin/requests", prm_mock::testing::kAdminStateChange)->status == 200);
  CHECK(parse(client.Get("/__admin/requests")->body)["total"].GetInt() == 0);
  REQUIRE(mock.publish(kValidBody)->status == 200);
  REQUIRE(client.Post("/__admin/reset", "", "application/json")->status == 200);
  CHECK(parse(client.Get("/__admin/requests")->body)["count"].GetInt() == 0);
}

TEST_CASE("the journal is bounded and counts what it dropped") {
  auto config = prm_mock::testing::quiet_config();
  config.journal_limit = 3;
  RunningServer mock(config);
  for (int i = 0; i < 5; ++i) REQUIRE(mock.publish(kValidBody)->status == 200);
  const auto json = parse(mock.client().Get("/__admin/requests")->body);
  CHECK(json["total"].GetInt() == 5);
  CHECK(json["dropped"].GetInt() == 2);
  CHECK(json["requests"].Size() == 3);
}

TEST_CASE("admin contract and metrics") {
  RunningServer mock;
  REQUIRE(mock.publish(kValidBody)->status == 200);
  REQUIRE(mock.publish("[")->status == 400);
  const auto contract = mock.client().Get("/__admin/contract");
  REQUIRE(contract);
  const auto document = parse(contract->body);
  CHECK(std::string(document["openapi"].GetString()) == "3.1.0");
  CHECK(document["paths"].HasMember("/registries/artifacts"));

  const auto metrics = mock.client().Get("/__admin/metrics");
  REQUIRE(metrics);
  CHECK(metrics->get_header_value("Content-Type").find("text/plain") == 0);
  CHECK(metrics->body.find("prm_mock_requests_total{status=\"200\"} 1\n") != std::string::npos);
  CHECK(metrics->body.find("prm_mock_requests_total{status=\"400\"} 1\n") != std::string::npos);
  CHECK(metrics->body.find("prm_mock_request_duration_seconds_count 2\n") != std::string::npos);
  CHECK(metrics->body.find("prm_mock_journal_entries 2\n") != std::string::npos);
}

TEST_CASE("--admin-token guards the admin API, except health") {
  auto config = prm_mock::testing::quiet_config();
  config.admin_token = "admin-secret";
  RunningServer mock(config);
  auto client = mock.client();
  CHECK(client.Get("/__admin/health")->status == 200);
  CHECK(client.Get("/__admin/requests")->status == 401);
  CHECK(client.Get("/__admin/requests", {{"Authorization", "Bearer wrong"}})->status == 401);
  CHECK(client.Get("/__admin/requests", {{"Authorization", "Bearer admin-secre"}})->status == 401);
  CHECK(client.Get("/__admin/requests", {{"Authorization", "Bearer admin-secret"}})->status == 200);
}

TEST_CASE("unknown admin paths and methods") {
  RunningServer mock;
  auto client = mock.client();
  CHECK(client.Get("/__admin/nothing")->status == 404);
  const auto wrong = client.Put("/__admin/requests", "{}", "application/json");
  REQUIRE(wrong);
  CHECK(wrong->status == 405);
  CHECK(wrong->get_header_value("Allow") == "GET, DELETE");
}

TEST_CASE(
    "every admin path answers its own methods, HEAD where GET, and 405 with Allow otherwise") {
  RunningServer mock;
  struct Case {
    std::string method;
    std::string path;
    int status;
    std::string allow;  // for a 405
  };
  const std::vector<Case> cases = {
      {"HEAD", "/__admin/health", 200, ""},
      {"PUT", "/__admin/health", 405, "GET"},
      {"HEAD", "/__admin/requests", 200, ""},
      {"POST", "/__admin/requests", 405, "GET, DELETE"},
      {"GET", "/__admin/requests/count", 405, "POST"},  // a route's path, not an entry's id
      {"DELETE", "/__admin/requests/find", 405, "POST"},
      {"HEAD", "/__admin/requests/no-such-id", 404, ""},
      {"POST", "/__admin/requests/no-such-id", 405, "GET"},
      {"HEAD", "/__admin/fixtures", 200, ""},
      {"DELETE", "/__admin/fixtures", 405, "GET, POST"},
      {"HEAD", "/__admin/fixtures/success", 200, ""},
      {"POST", "/__admin/fixtures/success", 405, "GET, DELETE"},
      {"GET", "/__admin/reset", 405, "POST"},
      {"HEAD", "/__admin/contract", 200, ""},
      {"POST", "/__admin/contract", 405, "GET"},
      {"HEAD", "/__admin/metrics", 200, ""},
      {"PATCH", "/__admin/metrics", 405, "GET"},
      // The name is judged before the method: a path-like name is refused whatever the method.
      {"PUT", "/__admin/fixtures/a%2Fb", 400, ""},
      {"PUT", "/__admin/fixtures/", 400, ""},
  };
  for (const Case& call : cases) {
    CAPTURE(call.method);
    CAPTURE(call.path);
    const std::string answer = raw_exchange(
        mock.port(), keep_alive_admin_request(call.method, call.path, "Connection: close\r\n"));
    CHECK(status_of(answer) == call.status);
    if (call.status != 405) continue;
    CHECK(answer.find("\r\nAllow: " + call.allow + "\r\n") != std::string::npos);
    CHECK(error_code_of(answer) == "METHOD_NOT_ALLOWED");
  }
}

TEST_CASE("with --admin-token, only health answers without it, whatever the path or method") {
  auto config = prm_mock::testing::quiet_config();
  config.admin_token = "admin-secret";
  RunningServer mock(config);
  const auto status_for = [&](const std::string& method, const std::string& path) {
    return status_of(
        raw_exchange(mock.port(), keep_alive_admin_request(method, path, "Connection: close\r\n")));
  };
  CHECK(status_for("PUT", "/__admin/health") == 405);
  CHECK(status_for("PUT", "/__admin/requests") == 401);
  CHECK(status_for("GET", "/__admin/nothing") == 401);
  CHECK(status_for("GET", "/__admin/fixtures/a%2Fb") == 401);
  CHECK(status_for("GET", "/__admin/requests/some-id") == 401);
}

TEST_CASE("an admin route's unread body never becomes the next request on the connection") {
  // The body is a whole request that would empty the journal if it were read as one.
  const std::string smuggled = keep_alive_admin_request("DELETE", "/__admin/requests",
                                                        "Authorization: Bearer admin-secret\r\n");
  auto config = prm_mock::testing::quiet_config();
  config.admin_token = "admin-secret";
  RunningServer mock(config);
  const std::string token = "Authorization: Bearer admin-secret\r\n";
  const std::string json = "Content-Type: application/json\r\n";
  REQUIRE(mock.publish(kValidBody)->status == 200);
  const auto journal_count = [&] {
    const auto listing =
        mock.client().Get("/__admin/requests", {{"Authorization", "Bearer admin-secret"}});
    REQUIRE(listing);
    return parse(listing->body)["total"].GetInt();
  };
  const int before = journal_count();
  REQUIRE(before > 0);
  struct Case {
    std::string method;
    std::string path;
    std::string lines;
    int status;
  };
  for (const Case& sent : std::vector<Case>{{"GET", "/__admin/health", "", 200},
                                            {"POST", "/__admin/health", "", 405},
                                            {"POST", "/__admin/requests/count", json, 401},
                                            {"POST", "/__admin/fixtures", json, 401},
                                            {"GET", "/__admin/nothing", token, 404},
                                            {"PUT", "/__admin/requests", token, 405},
                                            {"GET", "/__admin/requests%2Fcount", token, 404}}) {
    CAPTURE(sent.method);
    CAPTURE(sent.path);
    const std::string answer = raw_exchange(
        mock.port(), keep_alive_admin_request(sent.method, sent.path, sent.lines, smuggled), 500);
    CHECK(status_of(answer) == sent.status);
    CHECK(response_count(answer) == 1);
  }
  CHECK(journal_count() == before);
}

TEST_CASE("journal under load: every request is in the journal and the file, once, whole") {
  const auto file = temporary_file("journal-load.jsonl");
  constexpr int kThreads = 8;
  constexpr int kRequestsEach = 250;
  std::atomic<int> answered{0};
  {
    auto config = prm_mock::testing::quiet_config();
    config.journal_file = file.string();
    RunningServer mock(config);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        auto client = mock.client();
        client.set_keep_alive(true);
        for (int i = 0; i < kRequestsEach; ++i) {
          // Alternate valid and invalid bodies: rejected requests are journaled too.
          const auto result = (i + t) % 2 == 0 ? mock.publish(kValidBody) : mock.publish("{");
          if (result) ++answered;
        }
      });
    }
    for (auto& thread : threads) thread.join();
    const auto json = parse(mock.client().Get("/__admin/requests?limit=0")->body);
    CHECK(json["total"].GetInt() == kThreads * kRequestsEach);
    mock.server().stop();
  }
  CHECK(answered.load() == kThreads * kRequestsEach);
  const auto lines = lines_of(file);
  CHECK(lines.size() == static_cast<size_t>(kThreads * kRequestsEach));
  std::set<std::string> ids;
  for (const auto& line : lines) {
    const auto entry = parse(line);
    REQUIRE(entry.IsObject());
    ids.insert(entry["id"].GetString());
    CHECK(line.find(kSecretKey) == std::string::npos);
  }
  CHECK(ids.size() == lines.size());
  std::filesystem::remove(file);
}

TEST_CASE("no API key reaches the journal file") {
  const auto file = temporary_file("journal-redaction.jsonl");
  {
    auto config = prm_mock::testing::quiet_config();
    config.journal_file = file.string();
    RunningServer mock(config);
    REQUIRE(publish_with_secret(mock, kValidBody)->status == 200);
    REQUIRE(mock.client()
                .Post("/api/registries/artifacts",
                      {{"Authorization", std::string("Bearer ") + kSecretKey}}, kValidBody,
                      "application/json")
                ->status == 200);
  }
  std::ifstream in(file);
  const std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(lines_of(file).size() == 2);
  CHECK(content.find(kSecretKey) == std::string::npos);
  CHECK(content.find("[redacted]") != std::string::npos);
  std::filesystem::remove(file);
}
