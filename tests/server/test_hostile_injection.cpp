// Injection attempts against the in-process server: Prefer values naming files or odd
// syntax, request values that look like templates, markup or control characters echoed through
// fixture templates, and admin paths with dot segments and encoded slashes. Rendered responses must
// stay valid JSON, templates are never evaluated twice, and nothing escapes to files or routes.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "hostile_checks.hpp"
#include "raw_connection.hpp"
#include "test_server.hpp"

using prm_mock::testing::check_still_serving;
using prm_mock::testing::error_code_of;
using prm_mock::testing::is_valid_utf8_json;
using prm_mock::testing::journal_entries;
using prm_mock::testing::journal_total;
using prm_mock::testing::json_body_of;
using prm_mock::testing::kValidBody;
using prm_mock::testing::parse;
using prm_mock::testing::quiet_config;
using prm_mock::testing::raw_body_of;
using prm_mock::testing::raw_exchange;
using prm_mock::testing::RunningServer;
using prm_mock::testing::status_of;
using prm_mock::testing::valid_body_with;

namespace {

httplib::Result publish_preferring(const RunningServer& mock, const std::string& prefer) {
  httplib::Headers headers = mock.key_headers();
  headers.emplace("Prefer", prefer);
  return mock.client().Post("/api/registries/artifacts", headers, kValidBody, "application/json");
}

// A JSON string literal for `text` (what a client library would send).
std::string json_string(const std::string& text) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
  return buffer.GetString();
}

// A raw GET (or other method) with the target exactly as given: no client-side normalisation of
// "..", "%2F" or "%00".
std::string raw_request(const std::string& method, const std::string& target,
                        const std::string& extra_lines = "") {
  return method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra_lines +
         "Content-Length: 0\r\nConnection: close\r\n\r\n";
}

// Adds a fixture through the admin API that echoes request values in headers and body.
void add_echo_fixture(const RunningServer& mock) {
  const std::string fixture = R"({"name":"echo","priority":100,
    "when":{"body":{"/artifact/model":{"equals":"echo-model"}}},
    "response":{"status":200,
      "headers":{"X-Echo-Prompt":"{{body:/artifact/prompt}}","X-Echo-Header":"{{header:X-Hostile}}"},
      "body":{"prompt":"{{body:/artifact/prompt}}","quoted":"<{{body:/artifact/prompt}}>",
              "header":"{{header:X-Hostile}}","metadata":"{{body:/artifact/metadata}}"}}})";
  const auto added = mock.client().Post("/__admin/fixtures", fixture, "application/json");
  REQUIRE(added);
  REQUIRE(added->status == 201);
}

}  // namespace

TEST_CASE("hostile Prefer: a path in example= names no fixture and reads no file") {
  RunningServer mock;
  for (const std::string prefer :
       {"example=../../etc/passwd", "example=/etc/passwd", "example=..%2F..%2Fetc%2Fpasswd",
        "example=\"../fixtures/success.json\"", "example=success.json",
        "example=fixtures/success"}) {
    CAPTURE(prefer);
    const auto answer = publish_preferring(mock, prefer);
    REQUIRE(answer);
    CHECK(answer->status == 400);
    const auto error = parse(answer->body);
    REQUIRE(error.IsObject());
    CHECK(std::string(error["code"].GetString()) == "UNKNOWN_PREFERENCE");
    // The message lists what exists; never the content of a file.
    const std::string message = error["message"].GetString();
    CHECK(message.find("success") != std::string::npos);
    CHECK(message.find("root:") == std::string::npos);
  }
  CHECK(journal_total(mock) == 6);
  check_still_serving(mock);
}

TEST_CASE("hostile Prefer: odd spacing, case, quoting and repetition") {
  RunningServer mock;
  struct Case {
    const char* prefer;
    int status;
    const char* fixture_or_code;  // X-Mock-Fixture on success, else the error code
  };
  const std::vector<Case> cases = {
      {"code=500, dynamic=true", 500, "server-error"},
      {"  code = 500 ;dynamic=true", 500, "server-error"},
      {"dynamic=true,code=429", 429, "rate-limited"},
      {"CODE=500", 500, "server-error"},
      {"code=\"404\"", 404, "registry-not-found"},
      {"code=500, code=429", 500, "server-error"},  // RFC 7240 §2: only the first instance counts
      {"example=forbidden;code=403", 403, "forbidden"},
      {"example=forbidden, code=500", 400, "UNKNOWN_PREFERENCE"},
      {"code=abc", 400, "UNKNOWN_PREFERENCE"},
      {"code=200abc", 400, "UNKNOWN_PREFERENCE"},
      {"code=-200", 400, "UNKNOWN_PREFERENCE"},
      {"code=99999999999999999999", 400, "UNKNOWN_PREFERENCE"},
      {"code=", 400, "UNKNOWN_PREFERENCE"},
      {"example=", 400, "UNKNOWN_PREFERENCE"},
      {"example=\"", 400, "UNKNOWN_PREFERENCE"},
      {"respond-async, wait=5", 200, "success"},  // no preference the mock knows: ignored
      {"=500", 200, "success"},
  };
  for (const Case& hostile : cases) {
    CAPTURE(hostile.prefer);
    const auto answer = publish_preferring(mock, hostile.prefer);
    REQUIRE(answer);
    CHECK(answer->status == hostile.status);
    if (answer->has_header("X-Mock-Fixture")) {
      CHECK(answer->get_header_value("X-Mock-Fixture") == hostile.fixture_or_code);
    } else {
      const auto error = parse(answer->body);
      REQUIRE(error.IsObject());
      CHECK(std::string(error["code"].GetString()) == hostile.fixture_or_code);
    }
  }
  CHECK(journal_total(mock) == cases.size());
  check_still_serving(mock);
}

TEST_CASE("hostile Prefer: bytes that are not UTF-8 or are markup come back as valid JSON") {
  RunningServer mock;
  for (const std::string& prefer :
       {std::string("example=\xFF\xFE"), std::string("example=</script><script>alert(1)</script>"),
        std::string("example={{requestId}}"), std::string("example=\"a\\\"b\"")}) {
    CAPTURE(prefer);
    const std::string answer = raw_exchange(
        mock.port(),
        "POST /api/registries/artifacts HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: k\r\n"
        "Content-Type: application/json\r\nPrefer: " +
            prefer + "\r\nContent-Length: " + std::to_string(kValidBody.size()) +
            "\r\nConnection: close\r\n\r\n" + kValidBody);
    CHECK(status_of(answer) == 400);
    const auto error = json_body_of(answer);
    REQUIRE(error.IsObject());
    CHECK(is_valid_utf8_json(raw_body_of(answer)));
    CHECK(std::string(error["code"].GetString()) == "UNKNOWN_PREFERENCE");
    // A template in a request value is quoted, not evaluated.
    const std::string message = error["message"].GetString();
    if (prefer.find("{{") != std::string::npos)
      CHECK(message.find("{{requestId}}") != std::string::npos);
  }
  check_still_serving(mock);
}

TEST_CASE(
    "hostile templates: request values that look like templates are echoed, never evaluated") {
  RunningServer mock;
  add_echo_fixture(mock);
  const std::vector<std::string> prompts = {
      "{{requestId}}",
      "{{body:/artifact/hash}}",
      "{{header:X-API-Key}}",
      "{{uuid}}{{now}}",
      "{{",
      "\"quoted\" and \\backslash\\",
      "</script><script>alert(1)</script>",
      "line\r\nX-Injected: 1\r\n\r\n{\"evil\":true}",
      std::string("nul\0byte", 8),
      "\x01\x1F\x7F control",
      "\xE2\x80\xA8 line separator \xE2\x80\xA9",
      "emoji \xF0\x9F\x98\x80",
  };
  for (const std::string& prompt : prompts) {
    CAPTURE(prompt);
    std::string body = valid_body_with("/artifact/model", "\"echo-model\"");
    body.replace(body.find("\"greeting\""), 10, json_string(prompt));
    httplib::Headers headers = mock.key_headers();
    headers.emplace("X-Hostile", "{{requestId}}</script>\"");
    const auto answer =
        mock.client().Post("/api/registries/artifacts", headers, body, "application/json");
    REQUIRE(answer);
    CHECK(answer->status == 200);
    CHECK(answer->get_header_value("X-Mock-Fixture") == "echo");
    const auto echoed = parse(answer->body);
    REQUIRE_FALSE(echoed.HasParseError());
    CHECK(std::string(echoed["prompt"].GetString(), echoed["prompt"].GetStringLength()) == prompt);
    CHECK(std::string(echoed["quoted"].GetString(), echoed["quoted"].GetStringLength()) ==
          "<" + prompt + ">");
    CHECK(std::string(echoed["header"].GetString()) == "{{requestId}}</script>\"");
    CHECK(echoed["metadata"].IsObject());
    // In a header the value stays on one line: no header or body can be injected.
    const std::string header = answer->get_header_value("X-Echo-Prompt");
    CHECK(header.find_first_of(std::string("\r\n\0", 3)) == std::string::npos);
    CHECK_FALSE(answer->has_header("X-Injected"));
  }
  CHECK(journal_total(mock) == prompts.size());
  check_still_serving(mock);
}

TEST_CASE("hostile templates: a header value that is not UTF-8 is echoed as valid JSON") {
  RunningServer mock;
  add_echo_fixture(mock);
  const std::string body = valid_body_with("/artifact/model", "\"echo-model\"");
  const std::string answer = raw_exchange(
      mock.port(),
      "POST /api/registries/artifacts HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: k\r\n"
      "Content-Type: application/json\r\nX-Hostile: caf\xE9 \xFF\xFE\r\nContent-Length: " +
          std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
  CHECK(status_of(answer) == 200);
  CHECK(is_valid_utf8_json(raw_body_of(answer)));
  // Invalid bytes become U+FFFD; the valid ones around them are kept.
  CHECK(std::string(json_body_of(answer)["header"].GetString()).rfind("caf\xEF\xBF\xBD ", 0) == 0);
  check_still_serving(mock);
}

TEST_CASE(
    "hostile admin paths: dot segments and encoded slashes reach no file and no other route") {
  RunningServer mock;
  struct Case {
    std::string method;
    std::string target;
    int status;
    const char* code;
  };
  const std::vector<Case> cases = {
      {"GET", "/__admin/fixtures/..", 404, "FIXTURE_NOT_FOUND"},
      {"GET", "/__admin/fixtures/../requests", 400, "BAD_FIXTURE_NAME"},
      {"GET", "/__admin/fixtures/../../../../etc/passwd", 400, "BAD_FIXTURE_NAME"},
      {"GET", "/__admin/fixtures/..%2F..%2F..%2Fetc%2Fpasswd", 400, "BAD_FIXTURE_NAME"},
      {"GET", "/__admin/fixtures/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", 400, "BAD_FIXTURE_NAME"},
      {"GET", "/__admin/fixtures/success%00.json", 400, "BAD_FIXTURE_NAME"},
      {"GET", "/__admin/fixtures/success%2F..%2F..%2Frequests", 400, "BAD_FIXTURE_NAME"},
      {"DELETE", "/__admin/fixtures/..%2Fsuccess", 400, "BAD_FIXTURE_NAME"},
      {"DELETE", "/__admin/fixtures/success/..", 400, "BAD_FIXTURE_NAME"},
      {"GET", "/__admin/../__admin/requests", 404, "ROUTE_NOT_FOUND"},
      // Under /__admin/requests/ a segment is an entry's id, looked up and never found.
      {"GET", "/__admin/requests/..", 404, "REQUEST_NOT_FOUND"},
      {"GET", "/__admin/requests/..%2F..%2Freset", 404, "REQUEST_NOT_FOUND"},
      {"POST", "/__admin/requests/../../reset", 405, "METHOD_NOT_ALLOWED"},
      {"POST", "/__admin/requests%2Fcount", 404, "ROUTE_NOT_FOUND"},
      {"POST", "/__admin%2Freset", 404, "ROUTE_NOT_FOUND"},
      {"GET", "/__admin/fixtures%2Fsuccess", 404, "ROUTE_NOT_FOUND"},
      {"POST", "/__admin/../api/registries/artifacts", 404, "ROUTE_NOT_FOUND"},
      {"GET", "/__admin/%2E%2E/etc/passwd", 404, "ROUTE_NOT_FOUND"},
  };
  for (const Case& hostile : cases) {
    CAPTURE(hostile.method);
    CAPTURE(hostile.target);
    CAPTURE(std::string(hostile.code));
    // With the header a state-changing admin request needs, so that the path is what is judged.
    const std::string answer = raw_exchange(
        mock.port(), raw_request(hostile.method, hostile.target, "X-Requested-With: test\r\n"));
    CHECK(status_of(answer) == hostile.status);
    CHECK(error_code_of(answer) == hostile.code);
    CHECK(answer.find("root:") == std::string::npos);
  }
  // Nothing was reset, deleted or published on the way.
  CHECK(mock.client().Get("/__admin/fixtures/success")->status == 200);
  CHECK(journal_total(mock) == 0);
  check_still_serving(mock);
}

TEST_CASE("hostile paths: an encoded slash in the publish path is not a separator") {
  // The real API's router sees "/api%2Fregistries%2Fartifacts" as one segment; a mock that decodes
  // it first accepts a request the real API would answer 404.
  RunningServer mock;
  std::string request = prm_mock::testing::publish_head(
      "Content-Length: " + std::to_string(kValidBody.size()) + "\r\n", "Connection: close\r\n");
  request.replace(request.find("/api/registries/artifacts"), 25, "/api%2Fregistries%2Fartifacts");
  const std::string answer = raw_exchange(mock.port(), request + kValidBody);
  CHECK(status_of(answer) == 404);
  CHECK(error_code_of(answer) == "ROUTE_NOT_FOUND");
  check_still_serving(mock);
}

TEST_CASE("hostile paths: path bytes that are not UTF-8 come back as valid JSON") {
  RunningServer mock;
  for (const std::string target :
       {"/__admin/%FF%FE", "/nowhere%FF%FE", "/api/registries/artifacts%C0%AF"}) {
    CAPTURE(target);
    const std::string answer = raw_exchange(mock.port(), raw_request("GET", target));
    CHECK(status_of(answer) == 404);
    CHECK(error_code_of(answer) == "ROUTE_NOT_FOUND");
    CHECK(is_valid_utf8_json(raw_body_of(answer)));
  }
  check_still_serving(mock);
}

TEST_CASE("hostile admin paths: a token-protected admin API is not reached around the token") {
  prm_mock::Config config = quiet_config();
  config.admin_token = "t0ken";
  RunningServer mock(config);
  for (const std::string target :
       {"/__admin/health/../requests", "/__admin/health/./../requests", "/__admin//requests",
        "/__admin/./requests", "/__admin/requests?/__admin/health",
        "/__admin/requests#/__admin/health"}) {
    CAPTURE(target);
    const std::string answer = raw_exchange(mock.port(), raw_request("GET", target));
    CHECK(status_of(answer) == 401);
    CHECK(error_code_of(answer) == "UNAUTHORIZED");
  }
  // An encoded slash is refused before the token is even asked for: it names no admin route.
  for (const std::string target :
       {"/__admin/health%2F..%2Frequests", "/__admin/health/..%2freset"}) {
    CAPTURE(target);
    const std::string answer = raw_exchange(mock.port(), raw_request("GET", target));
    CHECK(status_of(answer) == 404);
    CHECK(error_code_of(answer) == "ROUTE_NOT_FOUND");
  }
  CHECK(status_of(raw_exchange(mock.port(), raw_request("GET", "/__admin/health"))) == 200);
}

TEST_CASE("hostile admin paths: fixture names that are paths are refused when adding a fixture") {
  RunningServer mock;
  for (const std::string name : {"../../etc/passwd", "a/b", "..\\\\evil", "x\\u0000y"}) {
    CAPTURE(name);
    const std::string fixture = R"({"name":")" + name + R"(","response":{"status":200,"body":{}}})";
    const auto answer = mock.client().Post("/__admin/fixtures", fixture, "application/json");
    REQUIRE(answer);
    CHECK(answer->status == 400);
    CHECK(std::string(parse(answer->body)["code"].GetString()) == "INVALID_FIXTURE");
  }
  check_still_serving(mock);
}
