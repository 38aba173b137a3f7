// Hostile HTTP framing against the in-process server: Content-Length that lies, broken or
// ambiguous body framing, old and unknown protocol versions, pipelining. Each attack is answered
// precisely and followed by a normal publish on a fresh connection.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include "hostile_checks.hpp"
#include "raw_connection.hpp"
#include "test_server.hpp"

using namespace std::chrono_literals;
using prm_mock::testing::as_chunk;
using prm_mock::testing::check_still_serving;
using prm_mock::testing::error_code_of;
using prm_mock::testing::journal_entries;
using prm_mock::testing::journal_total;
using prm_mock::testing::json_body_of;
using prm_mock::testing::kValidBody;
using prm_mock::testing::publish_head;
using prm_mock::testing::quiet_config;
using prm_mock::testing::raw_exchange;
using prm_mock::testing::RawConnection;
using prm_mock::testing::response_count;
using prm_mock::testing::RunningServer;
using prm_mock::testing::status_of;

namespace {

std::string content_length(std::size_t length) {
  return "Content-Length: " + std::to_string(length) + "\r\n";
}

// The statuses of the responses in a raw exchange, in order.
std::vector<int> statuses_in(const std::string& exchange) {
  std::vector<int> statuses;
  for (std::size_t at = exchange.find("HTTP/1.1 "); at != std::string::npos;
       at = exchange.find("HTTP/1.1 ", at + 1)) {
    statuses.push_back(status_of(exchange.substr(at)));
  }
  return statuses;
}

}  // namespace

TEST_CASE("hostile framing: a Content-Length longer than the body is ended by --io-timeout") {
  prm_mock::Config config = quiet_config();
  config.io_timeout_ms = 200;
  RunningServer mock(config);
  RawConnection liar(mock.port());
  REQUIRE(liar.send(publish_head(content_length(kValidBody.size() + 100)) + kValidBody));
  std::string answer;
  CHECK(liar.wait_closed_by_server(10s, &answer));  // answered and closed, not held open
  CHECK(status_of(answer) == 408);
  CHECK(error_code_of(answer) == "REQUEST_TIMEOUT");
  CHECK(answer.find("Connection: close") != std::string::npos);
  const auto newest = journal_entries(mock, 1);
  REQUIRE(newest["requests"].Size() == 1);
  CHECK(newest["requests"][0]["status"].GetInt() == 408);
  check_still_serving(mock);
}

TEST_CASE(
    "hostile framing: a Content-Length shorter than the body leaves a clean 400 for the rest") {
  // A short time limit, so a server that waits for the rest of a "request head" fails this test
  // quickly instead of answering 408 after the default 30 s.
  prm_mock::Config config = quiet_config();
  config.request_timeout_ms = 1000;
  RunningServer mock(config);
  // The first 10 bytes are the body; the rest is read as the next request, and no request line
  // starts with '"': it can never become HTTP, so it is refused at once.
  const std::string answer =
      raw_exchange(mock.port(), publish_head(content_length(10)) + kValidBody, 5000);
  const std::vector<int> statuses = statuses_in(answer);
  REQUIRE(statuses.size() == 2);
  CHECK(statuses[0] == 400);
  CHECK(error_code_of(answer) == "MALFORMED_JSON");
  CHECK(json_body_of(answer)["offset"].GetUint64() == 10);
  CHECK(statuses[1] == 400);
  CHECK(error_code_of(answer.substr(answer.find("HTTP/1.1 ", 1))) == "BAD_REQUEST");
  CHECK(answer.substr(answer.find("HTTP/1.1 ", 1)).find("Connection: close") != std::string::npos);
  // The body that was framed is journaled; the remainder never formed a request.
  CHECK(journal_total(mock) == 1);
  check_still_serving(mock);
}

TEST_CASE("hostile framing: Content-Length: 0 with a body sent anyway") {
  prm_mock::Config config = quiet_config();
  config.request_timeout_ms = 1000;
  RunningServer mock(config);
  const std::string answer =
      raw_exchange(mock.port(), publish_head(content_length(0)) + kValidBody, 5000);
  const std::vector<int> statuses = statuses_in(answer);
  REQUIRE(statuses.size() == 2);
  CHECK(statuses[0] == 400);
  CHECK(error_code_of(answer) == "MALFORMED_JSON");
  CHECK(json_body_of(answer)["message"].GetString() ==
        std::string("empty body: expected a JSON object"));
  CHECK(statuses[1] == 400);
  CHECK(error_code_of(answer.substr(answer.find("HTTP/1.1 ", 1))) == "BAD_REQUEST");
  check_still_serving(mock);
}

TEST_CASE("hostile framing: Content-Length values that are not byte counts") {
  RunningServer mock;
  struct Case {
    const char* name;
    std::string lines;
    int status;
    const char* code;
  };
  const std::vector<Case> cases = {
      {"negative", "Content-Length: -1\r\n", 400, "UNREADABLE_BODY"},
      {"exponent", "Content-Length: 1e3\r\n", 400, "UNREADABLE_BODY"},
      {"hexadecimal", "Content-Length: 0x10\r\n", 400, "UNREADABLE_BODY"},
      {"plus sign", "Content-Length: +5\r\n", 400, "UNREADABLE_BODY"},
      {"two values in one header", "Content-Length: 5, 500\r\n", 400, "UNREADABLE_BODY"},
      {"beyond 64 bits", "Content-Length: 99999999999999999999999\r\n", 400, "UNREADABLE_BODY"},
      {"two headers that disagree", "Content-Length: 5\r\nContent-Length: 500\r\n", 400,
       "UNREADABLE_BODY"},
      {"the largest 64-bit value", "Content-Length: 18446744073709551615\r\n", 413,
       "PAYLOAD_TOO_LARGE"},
  };
  for (const Case& hostile : cases) {
    CAPTURE(std::string(hostile.name));
    const std::string answer = raw_exchange(mock.port(), publish_head(hostile.lines) + kValidBody);
    CHECK(status_of(answer) == hostile.status);
    CHECK(error_code_of(answer) == hostile.code);
    CHECK(answer.find("Connection: close") != std::string::npos);
    CHECK(response_count(answer) == 1);  // the unread body is never parsed as a request
  }
  CHECK(journal_total(mock) == cases.size());
  check_still_serving(mock);
}

TEST_CASE("hostile framing: Transfer-Encoding the mock cannot frame is refused, never guessed") {
  RunningServer mock;
  struct Case {
    const char* name;
    std::string lines;
  };
  // Content-Length together with chunked is the classic request-smuggling pair; a coding other
  // than a final "chunked" leaves the body's end unknown (RFC 9112 §6.1: 400 and close).
  const std::vector<Case> cases = {
      {"chunked and a Content-Length", "Transfer-Encoding: chunked\r\n" + content_length(5)},
      {"gzip, chunked", "Transfer-Encoding: gzip, chunked\r\n"},
      {"chunked, then gzip", "Transfer-Encoding: chunked, gzip\r\n"},
      {"an unknown coding", "Transfer-Encoding: xchunked\r\n"},
      {"identity", "Transfer-Encoding: identity\r\n"},
  };
  for (const Case& hostile : cases) {
    CAPTURE(std::string(hostile.name));
    const std::string answer = raw_exchange(
        mock.port(), publish_head(hostile.lines) + as_chunk(kValidBody) + "0\r\n\r\n", 5000);
    CHECK(status_of(answer) == 400);
    CHECK(error_code_of(answer) == "UNREADABLE_BODY");
    CHECK(answer.find("Connection: close") != std::string::npos);
    CHECK(response_count(answer) == 1);
  }
  CHECK(journal_total(mock) == cases.size());
  check_still_serving(mock);
}

TEST_CASE("hostile framing: broken chunk framing is a 400, a chunk that never comes a 408") {
  prm_mock::Config config = quiet_config();
  config.io_timeout_ms = 300;
  RunningServer mock(config);
  struct Case {
    const char* name;
    std::string chunks;
    int status;
    const char* code;
  };
  const std::vector<Case> cases = {
      {"a size that is not hex", "zz\r\n{}\r\n0\r\n\r\n", 400, "UNREADABLE_BODY"},
      {"a size beyond 64 bits", "10000000000000000\r\n{}\r\n0\r\n\r\n", 400, "UNREADABLE_BODY"},
      // httplib reads chunk sizes with strtoul, which takes "-2" as 2^64 - 2: the chunk never
      // completes, and the I/O timeout ends it. A 400 would be more precise (RFC 9112 §7.1).
      {"a negative size", "-2\r\n{}\r\n0\r\n\r\n", 408, "REQUEST_TIMEOUT"},
      {"a size larger than the data sent", "ff\r\n{}\r\n0\r\n\r\n", 408, "REQUEST_TIMEOUT"},
      {"no terminating chunk", as_chunk(kValidBody), 408, "REQUEST_TIMEOUT"},
  };
  for (const Case& hostile : cases) {
    CAPTURE(std::string(hostile.name));
    const std::string answer = raw_exchange(
        mock.port(), publish_head("Transfer-Encoding: chunked\r\n") + hostile.chunks, 5000);
    CHECK(status_of(answer) == hostile.status);
    CHECK(error_code_of(answer) == hostile.code);
    CHECK(response_count(answer) == 1);
  }
  CHECK(journal_total(mock) == cases.size());
  check_still_serving(mock);
}

TEST_CASE("hostile framing: HTTP/1.0 is answered and closed; unknown versions get a JSON 400") {
  RunningServer mock;
  SUBCASE("HTTP/1.0 publish") {
    std::string request = publish_head(content_length(kValidBody.size())) + kValidBody;
    request.replace(request.find("HTTP/1.1"), 8, "HTTP/1.0");
    RawConnection connection(mock.port());
    REQUIRE(connection.send(request));
    std::string answer;
    CHECK(connection.wait_closed_by_server(10s, &answer));
    CHECK(answer.rfind("HTTP/1.1 200", 0) == 0);
    CHECK(answer.find("Connection: close") != std::string::npos);
    CHECK(json_body_of(answer)["registryRef"].IsString());
  }
  SUBCASE("HTTP/1.0 without Host") {
    const std::string answer = raw_exchange(mock.port(), "GET /__admin/health HTTP/1.0\r\n\r\n");
    CHECK(status_of(answer) == 200);
  }
  SUBCASE("HTTP/2 connection preface") {
    const std::string answer = raw_exchange(mock.port(), "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    CHECK(status_of(answer) == 400);
    CHECK(error_code_of(answer) == "BAD_REQUEST");
    CHECK(journal_total(mock) == 1);  // rejected before routing, yet received
  }
  SUBCASE("HTTP/0.9 request line") {
    const std::string answer = raw_exchange(mock.port(), "GET /\r\n\r\n");
    CHECK(status_of(answer) == 400);
    CHECK(error_code_of(answer) == "BAD_REQUEST");
    CHECK(journal_total(mock) == 1);  // rejected before routing, yet received
  }
  SUBCASE("HTTP/9.9") {
    const std::string answer = raw_exchange(mock.port(), "GET /__admin/health HTTP/9.9\r\n\r\n");
    CHECK(status_of(answer) == 400);
    CHECK(error_code_of(answer) == "BAD_REQUEST");
    CHECK(journal_total(mock) == 1);  // rejected before routing, yet received
  }
  check_still_serving(mock);
}

TEST_CASE("hostile framing: what httplib alone refuses is journaled, then the connection closes") {
  // The head check lets these through (they are valid HTTP), and httplib refuses them before
  // routing; it may have stopped reading in the middle of the head, so nothing after can be framed.
  RunningServer mock;
  struct Case {
    const char* name;
    std::string head;
    int status;
  };
  const std::vector<Case> cases = {
      // httplib splits the target at every '?' and refuses a third part (RFC 3986 allows it).
      {"a second '?' in the target",
       "GET /nowhere?a?b HTTP/1.1\r\nHost: 127.0.0.1\r\nX-After: 1\r\n\r\n", 400},
      {"a Range httplib cannot parse",
       "GET /nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\nRange: bytes=z\r\n\r\n", 416},
  };
  for (const Case& hostile : cases) {
    CAPTURE(std::string(hostile.name));
    const std::string answer = raw_exchange(
        mock.port(), hostile.head + "GET /nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    CHECK(status_of(answer) == hostile.status);
    CHECK(error_code_of(answer) == "BAD_REQUEST");
    CHECK(answer.find("Connection: close") != std::string::npos);
    CHECK(response_count(answer) == 1);  // the request after it is never read
  }
  const auto entries = journal_entries(mock, 10);
  REQUIRE(entries["requests"].Size() == cases.size());
  CHECK(entries["requests"][0]["status"].GetInt() == 400);
  CHECK(std::string(entries["requests"][0]["method"].GetString()) == "GET");
  CHECK(entries["requests"][1]["status"].GetInt() == 416);
  CHECK(std::string(entries["requests"][1]["path"].GetString()) == "/nowhere");
  check_still_serving(mock);
}

TEST_CASE("hostile framing: pipelined requests with every kind of failure are answered in order") {
  RunningServer mock;
  const std::string malformed = "{\"registryRef\":";
  const std::string not_an_object = "[]";
  std::string no_key = publish_head(content_length(kValidBody.size())) + kValidBody;
  no_key.replace(no_key.find("X-API-Key: k-test\r\n"), 19, "");
  const std::string pipeline =
      publish_head(content_length(kValidBody.size())) + kValidBody +
      publish_head(content_length(malformed.size())) + malformed +
      publish_head(content_length(not_an_object.size())) + not_an_object + no_key +
      "GET /nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" +
      "GET /api/registries/artifacts HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" +
      publish_head(content_length(kValidBody.size()), "Connection: close\r\n") + kValidBody;
  const std::string answer = raw_exchange(mock.port(), pipeline);
  CHECK(statuses_in(answer) == std::vector<int>{200, 400, 400, 401, 404, 405, 200});
  // The journal has them all, in the order they were sent.
  const auto entries = journal_entries(mock, 10);
  REQUIRE(entries["requests"].Size() == 7);
  const std::vector<int> journaled = [&] {
    std::vector<int> statuses;
    for (const auto& entry : entries["requests"].GetArray())
      statuses.push_back(entry["status"].GetInt());
    return statuses;
  }();
  CHECK(journaled == std::vector<int>{200, 400, 400, 401, 404, 405, 200});
  check_still_serving(mock);
}

TEST_CASE("hostile framing: a hundred pipelined publishes in one write are all answered") {
  RunningServer mock;
  std::string pipeline;
  for (int i = 0; i < 99; ++i)
    pipeline += publish_head(content_length(kValidBody.size())) + kValidBody;
  pipeline += publish_head(content_length(kValidBody.size()), "Connection: close\r\n") + kValidBody;
  const std::string answer = raw_exchange(mock.port(), pipeline, 10000);
  CHECK(statuses_in(answer) == std::vector<int>(100, 200));
  CHECK(journal_total(mock) == 100);
  check_still_serving(mock);
}
