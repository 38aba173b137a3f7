// What `prm-mock tail` prints for a journal entry, its colours, and its --status filter.
#include <doctest/doctest.h>

#include <string>

#include "cli/status_filter.hpp"
#include "cli/tail_line_format.hpp"

namespace {

using prm_mock::ColourMode;
using prm_mock::StatusFilter;
using prm_mock::TailStyle;

constexpr TailStyle kPlain{false};
constexpr TailStyle kColour{true};

// A journal entry as GET /__admin/requests lists it.
std::string tail_entry_json(int status, const std::string& violations = "[]",
                            const std::string& extra = "") {
  return R"({"id":"req-1","receivedAt":"2026-03-01T14:03:07.412Z","method":"POST",)"
         R"("path":"/api/registries/artifacts","query":"","headers":{},"body":{},)"
         R"("bodyTruncated":false,"status":)" +
         std::to_string(status) + R"(,"fixture":)" + (status < 300 ? "\"success\"" : "null") +
         R"(,"scope":null,"violations":)" + violations +
         R"(,"warnings":[],"latencyUs":1234,"delayMs":0,"chaos":false)" + extra + "}";
}

const std::string kTwoViolations =
    R"([{"location":"body","pointer":"/artifact/hash","keyword":"required",)"
    R"("message":"missing required property 'hash'"},)"
    R"({"location":"body","pointer":"/artifact/version","keyword":"type",)"
    R"("message":"expected string, found number"}])";

std::string format_tail(const std::string& json, const TailStyle& style) {
  rapidjson::Document entry;
  entry.Parse(json.c_str(), json.size());
  REQUIRE_FALSE(entry.HasParseError());
  return prm_mock::format_tail_entry(entry, style);
}

}  // namespace

TEST_CASE("tail format: a 2xx is one line: time, status, request, fixture, latency") {
  CHECK(format_tail(tail_entry_json(201), kPlain) ==
        "14:03:07.412  201  POST /api/registries/artifacts  success  1.2 ms\n");
}

TEST_CASE("tail format: a 400 gives its first violation as the reason, then each on its own line") {
  CHECK(format_tail(tail_entry_json(400, kTwoViolations), kPlain) ==
        "14:03:07.412  400  POST /api/registries/artifacts  -  1.2 ms  "
        "/artifact/hash: missing required property 'hash' (+1 more)\n"
        "    body /artifact/hash  required  missing required property 'hash'\n"
        "    body /artifact/version  type  expected string, found number\n");
}

TEST_CASE("tail format: colour only when asked, the status by its class, no codes otherwise") {
  const std::string plain = format_tail(tail_entry_json(400, kTwoViolations), kPlain);
  CHECK(plain.find('\x1b') == std::string::npos);
  const std::string coloured = format_tail(tail_entry_json(400, kTwoViolations), kColour);
  CHECK(coloured.find("\x1b[33m400\x1b[0m") != std::string::npos);          // 4xx yellow
  CHECK(coloured.find("\x1b[2m14:03:07.412\x1b[0m") != std::string::npos);  // dim time
  CHECK(format_tail(tail_entry_json(201), kColour).find("\x1b[32m201\x1b[0m") != std::string::npos);
  CHECK(format_tail(tail_entry_json(503), kColour).find("\x1b[31m503\x1b[0m") != std::string::npos);
  // Without the codes, the coloured text is the plain text.
  std::string stripped;
  for (std::size_t index = 0; index < coloured.size(); ++index) {
    if (coloured[index] == '\x1b') {
      index = coloured.find('m', index);
    } else {
      stripped += coloured[index];
    }
  }
  CHECK(stripped == plain);
}

TEST_CASE("tail format: --color auto colours a terminal unless NO_COLOR; always and never win") {
  CHECK(prm_mock::tail_colour_on(ColourMode::Auto, true, false));
  CHECK_FALSE(prm_mock::tail_colour_on(ColourMode::Auto, false, false));
  CHECK_FALSE(prm_mock::tail_colour_on(ColourMode::Auto, true, true));
  CHECK(prm_mock::tail_colour_on(ColourMode::Always, false, true));
  CHECK_FALSE(prm_mock::tail_colour_on(ColourMode::Never, true, false));
}

TEST_CASE("tail format: reasons without violations: the response's error, chaos, a warning") {
  CHECK(format_tail(tail_entry_json(401, "[]",
                                    R"(,"response":{"status":401,"headers":{},"body":{"message":)"
                                    R"("missing API key","code":"UNAUTHORIZED","status":401},)"
                                    R"("bodyTruncated":false})"),
                    kPlain) ==
        "14:03:07.412  401  POST /api/registries/artifacts  -  1.2 ms  "
        "UNAUTHORIZED: missing API key\n");
  std::string chaos = tail_entry_json(503);
  chaos.replace(chaos.find(R"("chaos":false)"), 13, R"("chaos":true,"chaosWhat":"503")");
  CHECK(format_tail(chaos, kPlain).ends_with("1.2 ms  chaos: 503\n"));
  std::string warned = tail_entry_json(201);
  warned.replace(warned.find(R"("warnings":[])"), 13,
                 R"("warnings":[{"location":"body","pointer":"/artifact/version",)"
                 R"("keyword":"semver","message":"not a semantic version"}])");
  CHECK(format_tail(warned, kPlain) ==
        "14:03:07.412  201  POST /api/registries/artifacts  success  1.2 ms  "
        "warning /artifact/version: not a semantic version\n"
        "    warning body /artifact/version  semver  not a semantic version\n");
}

TEST_CASE("tail format: a header violation, the whole body, a query and slow latencies") {
  const std::string header_violation =
      R"([{"location":"header","pointer":"Content-Type","keyword":"mediaType",)"
      R"("message":"expected application/json"}])";
  CHECK(format_tail(tail_entry_json(415, header_violation), kPlain) ==
        "14:03:07.412  415  POST /api/registries/artifacts  -  1.2 ms  "
        "header Content-Type: expected application/json\n"
        "    header Content-Type  mediaType  expected application/json\n");
  const std::string whole_body =
      R"([{"location":"body","pointer":"","keyword":"type","message":"expected object"}])";
  CHECK(format_tail(tail_entry_json(400, whole_body), kPlain)
            .find("1.2 ms  expected object\n    body (whole body)  type  expected object\n") !=
        std::string::npos);
  std::string slow = tail_entry_json(201);
  slow.replace(slow.find(R"("query":"")"), 10, R"("query":"dry=1")");
  slow.replace(slow.find("1234"), 4, "2500000");
  CHECK(format_tail(slow, kPlain).find("POST /api/registries/artifacts?dry=1  success  2500 ms") !=
        std::string::npos);
}

TEST_CASE("tail format: control characters from the client cannot reach the terminal") {
  std::string hostile = tail_entry_json(404);
  hostile.replace(hostile.find("/api/registries/artifacts"), 25, R"(/x\u001b[31mred\u0007\u009b)");
  const std::string line = format_tail(hostile, kPlain);
  CHECK(line.find('\x1b') == std::string::npos);
  CHECK(line.find('\a') == std::string::npos);
  CHECK(line.find("\xC2\x9B") == std::string::npos);
  CHECK(line.find("POST /x?[31mred??  -") != std::string::npos);
}

TEST_CASE("tail format: the dropped and cleared notices") {
  CHECK(prm_mock::format_tail_dropped(37, kPlain) ==
        "-- 37 requests skipped: the tail fell behind the mock --\n");
  CHECK(prm_mock::format_tail_dropped(1, kPlain) ==
        "-- 1 request skipped: the tail fell behind the mock --\n");
  CHECK(prm_mock::format_tail_cleared(kPlain) == "-- the journal was cleared --\n");
  CHECK(prm_mock::format_tail_cleared(kColour) == "\x1b[2m-- the journal was cleared --\x1b[0m\n");
}

TEST_CASE("tail --status: classes, exact statuses and lists; anything else is refused") {
  const auto client_errors = StatusFilter::parse("4xx");
  REQUIRE(client_errors);
  CHECK(client_errors->admits(400));
  CHECK(client_errors->admits(499));
  CHECK_FALSE(client_errors->admits(399));
  CHECK_FALSE(client_errors->admits(500));
  const auto exact = StatusFilter::parse("404");
  REQUIRE(exact);
  CHECK(exact->admits(404));
  CHECK_FALSE(exact->admits(400));
  const auto listed = StatusFilter::parse("2xx, 5XX,429");
  REQUIRE(listed);
  CHECK(listed->admits(201));
  CHECK(listed->admits(503));
  CHECK(listed->admits(429));
  CHECK_FALSE(listed->admits(400));
  CHECK(StatusFilter().admits(0));
  CHECK(StatusFilter().admits(418));
  for (const char* bad : {"", "4", "40", "4x", "4xxx", "6xx", "0xx", "x4x", "1000", "2xx,", ",2xx",
                          "2xx;5xx", "-40", "4 0 4"}) {
    CAPTURE(bad);
    CHECK_FALSE(StatusFilter::parse(bad).has_value());
  }
}
