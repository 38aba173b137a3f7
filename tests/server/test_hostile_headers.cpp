// Hostile request heads against the in-process server: huge and numerous headers, NUL
// and bare CR bytes in values, malformed header lines, an over-long target. Each is answered
// precisely, and a normal publish on a fresh connection still succeeds afterwards.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "hostile_checks.hpp"
#include "raw_connection.hpp"
#include "test_server.hpp"

using prm_mock::testing::check_still_serving;
using prm_mock::testing::error_code_of;
using prm_mock::testing::journal_entries;
using prm_mock::testing::journal_total;
using prm_mock::testing::json_body_of;
using prm_mock::testing::kValidBody;
using prm_mock::testing::parse;
using prm_mock::testing::publish_head;
using prm_mock::testing::raw_exchange;
using prm_mock::testing::response_count;
using prm_mock::testing::RunningServer;
using prm_mock::testing::status_of;

namespace {

std::string publish_with(const std::string& extra_lines) {
  return publish_head("Content-Length: " + std::to_string(kValidBody.size()) + "\r\n",
                      extra_lines) +
         kValidBody;
}

}  // namespace

TEST_CASE("hostile headers: a single 64 KB header line is refused with a JSON 4xx") {
  RunningServer mock;
  const std::string answer =
      raw_exchange(mock.port(), publish_with("X-Huge: " + std::string(64 * 1024, 'a') + "\r\n"));
  CHECK(status_of(answer) == 400);
  CHECK(error_code_of(answer) == "BAD_REQUEST");
  CHECK(response_count(answer) == 1);
  // Every request, answered or rejected, is journaled, even one refused before
  // routing.
  CHECK(journal_total(mock) == 1);
  check_still_serving(mock);
}

TEST_CASE("hostile headers: 1,000 headers (64 KB of head) are served and journaled") {
  RunningServer mock;
  std::string lines;
  for (int i = 0; i < 1000; ++i)
    lines += "X-Hostile-" + std::to_string(i) + ": " + std::string(48, 'v') + "\r\n";
  REQUIRE(lines.size() > 64 * 1000);
  const std::string answer =
      raw_exchange(mock.port(), publish_with(lines + "Connection: close\r\n"));
  CHECK(status_of(answer) == 200);
  const auto newest = journal_entries(mock, 1);
  const auto& headers = newest["requests"][0]["headers"];
  REQUIRE(headers.IsObject());
  CHECK(headers.HasMember("X-Hostile-0"));
  CHECK(headers.HasMember("X-Hostile-999"));
  CHECK(headers.MemberCount() >= 1000);
  check_still_serving(mock);
}

TEST_CASE("hostile headers: a NUL byte in a header value is refused or replaced, never kept") {
  // RFC 9110 §5.5: a recipient of NUL in a field value MUST reject the message or replace it with
  // SP. Kept, it is seen differently by different readers: httplib's get_header_value() stops at it
  // ("Content-Type: application/json\0junk" passes the media type check as "application/json"),
  // while auth, templates and the journal see the whole value.
  RunningServer mock;
  const std::string answer = raw_exchange(
      mock.port(),
      publish_with("X-Hostile: a" + std::string(1, '\0') + "b\r\nConnection: close\r\n"));
  if (status_of(answer) == 200) {
    const auto newest = journal_entries(mock, 1);
    const auto& value = newest["requests"][0]["headers"]["X-Hostile"];
    REQUIRE(value.IsString());
    CHECK(std::string(value.GetString(), value.GetStringLength()) == "a b");
  } else {
    CHECK(status_of(answer) == 400);
    CHECK(error_code_of(answer) == "BAD_REQUEST");
  }
  check_still_serving(mock);
}

TEST_CASE("hostile headers: header values are taken as sent, never percent-decoded") {
  // httplib decodes %XX in header values and drops empty ones, but a field value is never
  // percent-encoded (RFC 9110 §5.5): "application%2Fjson" is not JSON's media type, "%00" must not
  // become a NUL, and the journal shows what was sent.
  RunningServer mock;
  std::string request = publish_with("X-Probe: a%20b%00c\r\nX-Empty:\r\nConnection: close\r\n");
  request.replace(request.find("application/json"), 16, "application%2Fjson");
  const std::string answer = raw_exchange(mock.port(), request);
  CHECK(status_of(answer) == 415);
  CHECK(error_code_of(answer) == "UNSUPPORTED_MEDIA_TYPE");
  const auto newest = journal_entries(mock, 1);
  const auto& headers = newest["requests"][0]["headers"];
  REQUIRE(headers.IsObject());
  REQUIRE(headers.HasMember("X-Probe"));
  CHECK(std::string(headers["X-Probe"].GetString()) == "a%20b%00c");
  CHECK(std::string(headers["Content-Type"].GetString()) == "application%2Fjson");
  REQUIRE(headers.HasMember("X-Empty"));
  CHECK(std::string(headers["X-Empty"].GetString()).empty());
  check_still_serving(mock);
}

TEST_CASE("hostile headers: an API key with a '%' is that key, not its percent-decoding") {
  prm_mock::Config config = prm_mock::testing::quiet_config();
  config.api_keys = {"k-A"};
  RunningServer mock(config);
  std::string request = publish_with("Connection: close\r\n");
  request.replace(request.find("X-API-Key: k-test"), 17, "X-API-Key: k-%41");
  CHECK(status_of(raw_exchange(mock.port(), request)) == 401);
  request.replace(request.find("X-API-Key: k-%41"), 16, "X-API-Key: k-A");
  CHECK(status_of(raw_exchange(mock.port(), request)) == 200);
}

TEST_CASE(
    "hostile headers: an API key with a NUL byte is another key, and never journaled in clear") {
  prm_mock::Config config = prm_mock::testing::quiet_config();
  config.api_keys = {"k-allowed"};
  RunningServer mock(config);
  std::string request = publish_with("Connection: close\r\n");
  request.replace(request.find("X-API-Key: k-test"), 17,
                  "X-API-Key: k-allowed" + std::string(1, '\0') + "-and-more");
  const std::string answer = raw_exchange(mock.port(), request);
  CHECK((status_of(answer) == 401 || status_of(answer) == 400));
  const auto entries = journal_entries(mock, 1);
  for (const auto& entry : entries["requests"].GetArray()) {
    const std::string key = entry["headers"]["X-API-Key"].GetString();
    CHECK(key.rfind("[redacted]", 0) == 0);
    CHECK(key.find("k-allowed") == std::string::npos);
  }
  // The key itself still works.
  httplib::Headers allowed = {{"X-API-Key", "k-allowed"}};
  CHECK(mock.client()
            .Post("/api/registries/artifacts", allowed, kValidBody, "application/json")
            ->status == 200);
}

TEST_CASE("hostile headers: malformed header lines are refused with 400 (RFC 9112 §5)") {
  // Each is a way two HTTP parsers can disagree about a request (the root of request smuggling);
  // RFC 9112 §5.1-5.2 and RFC 9110 §5.5 say a server rejects them (or, for obs-fold and bare CR,
  // replaces them with spaces) instead of dropping or keeping them as they are.
  RunningServer mock;
  struct Case {
    const char* name;
    std::string lines;
  };
  const std::vector<Case> cases = {
      {"a line without a colon", "Not a header\r\n"},
      {"whitespace between the name and the colon", "X-Space : v\r\n"},
      {"an obsolete folded line", "X-Folded: a\r\n  b\r\n"},
      {"a bare CR inside a value", "X-Bare: a\rb\r\n"},
      {"an empty name", ": v\r\n"},
  };
  for (const Case& hostile : cases) {
    CAPTURE(std::string(hostile.name));
    const std::string answer =
        raw_exchange(mock.port(), publish_with(hostile.lines + "Connection: close\r\n"));
    CHECK(status_of(answer) == 400);
    CHECK(error_code_of(answer) == "BAD_REQUEST");
    CHECK(response_count(answer) == 1);
  }
  CHECK(journal_total(mock) == cases.size());
  check_still_serving(mock);
}

TEST_CASE("hostile headers: a bare LF is refused or ends a header line, never dropped") {
  // RFC 9112 §2.2 lets a recipient take a lone LF as a line end; what it must not do is drop the
  // line, which hides a header from the mock that another parser would see.
  RunningServer mock;
  const std::string answer =
      raw_exchange(mock.port(), publish_with("X-Bare: a\nX-Other: b\r\nConnection: close\r\n"));
  // Either refused, or read as two headers.
  CHECK((status_of(answer) == 400 || status_of(answer) == 200));
  if (status_of(answer) == 200) {
    const auto newest = journal_entries(mock, 1);
    CHECK(newest["requests"][0]["headers"].HasMember("X-Bare"));
    CHECK(newest["requests"][0]["headers"].HasMember("X-Other"));
  }
  check_still_serving(mock);
}

TEST_CASE("hostile headers: a request target over 8 KB gets a JSON 414") {
  RunningServer mock;
  const std::string answer = raw_exchange(
      mock.port(), "GET /" + std::string(16 * 1024, 'a') + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  CHECK(status_of(answer) == 414);
  CHECK(error_code_of(answer) == "BAD_REQUEST");
  CHECK(journal_total(mock) == 1);
  check_still_serving(mock);
}

TEST_CASE("hostile headers: an HTTP/1.1 request without Host, or with two, gets a journaled 400") {
  // RFC 9112 §3.2 makes the 400 a MUST: a client that leaves Host out works against a lenient
  // mock and fails against a proxy or a virtual host in front of the real API.
  RunningServer mock;
  std::string without_host = publish_with("Connection: close\r\n");
  without_host.erase(without_host.find("Host: 127.0.0.1\r\n"), 17);
  std::string two_hosts = publish_with("Host: other\r\nConnection: close\r\n");
  for (const std::string& request : {without_host, two_hosts}) {
    const std::string answer = raw_exchange(mock.port(), request);
    CHECK(status_of(answer) == 400);
    CHECK(error_code_of(answer) == "BAD_REQUEST");
    CHECK(json_body_of(answer)["message"].GetString() ==
          std::string(request == without_host
                          ? "an HTTP/1.1 request without a Host header (RFC 9112 §3.2) (byte "
                          : "more than one Host header (RFC 9112 §3.2) (byte ")
              .append(std::to_string(request.size() - kValidBody.size()))
              .append(" of the request head)"));
  }
  const auto entries = journal_entries(mock, 2);
  REQUIRE(entries["requests"].Size() == 2);
  for (const auto& entry : entries["requests"].GetArray()) {
    CHECK(entry["status"].GetInt() == 400);
    CHECK(std::string(entry["path"].GetString()) == "/api/registries/artifacts");
  }
  check_still_serving(mock);
}
