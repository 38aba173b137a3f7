// The strict request-head check the connection layer runs before httplib parses a head:
// every class of malformed head is refused with its status, valid heads pass whole or in pieces,
// and a prefix is refused as soon as no continuation could make it valid.
#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

#include "http/header_lines.hpp"
#include "http/refused_request.hpp"
#include "http/request_head_check.hpp"

using prm_mock::readable_part_of_refused_head;
using prm_mock::RequestHeadCheck;
using Verdict = RequestHeadCheck::Verdict;

namespace {

const std::string kValidHead =
    "POST /api/registries/artifacts?dry=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    "X-API-Key: k-test\r\nContent-Type: application/json; charset=utf-8\r\n"
    "Content-Length: 2\r\nX-Tabbed:\tvalue with\ttabs \r\nX-Empty:\r\n"
    "X-Latin: caf\xc3\xa9\r\n\r\n";

RequestHeadCheck checked(std::string_view bytes) {
  RequestHeadCheck check;
  check.scan(bytes);
  return check;
}

std::string publish_head_with(const std::string& extra_lines) {
  return "POST /api/registries/artifacts HTTP/1.1\r\nHost: x\r\n" + extra_lines + "\r\n";
}

}  // namespace

TEST_CASE("head check: a valid head is complete, and the body after it is not looked at") {
  const RequestHeadCheck check = checked(kValidHead + std::string("{}GARBAGE\0\r", 11));
  CHECK(check.verdict() == Verdict::Complete);
  CHECK(check.scanned() == kValidHead.size());
  CHECK(check.leading_empty_line_bytes() == 0);
}

TEST_CASE("head check: the same head fed in pieces of every size gets the same verdict") {
  for (std::size_t piece = 1; piece <= 7; ++piece) {
    CAPTURE(piece);
    RequestHeadCheck check;
    std::size_t at = 0;
    for (; at + piece < kValidHead.size(); at += piece) {
      REQUIRE(check.scan(std::string_view(kValidHead).substr(at, piece)) == Verdict::Incomplete);
    }
    CHECK(check.scan(std::string_view(kValidHead).substr(at)) == Verdict::Complete);
    CHECK(check.scanned() == kValidHead.size());
  }
}

TEST_CASE("head check: every prefix of a valid head is incomplete, not invalid") {
  for (std::size_t length = 0; length < kValidHead.size(); ++length) {
    CAPTURE(length);
    CHECK(checked(std::string_view(kValidHead).substr(0, length)).verdict() == Verdict::Incomplete);
  }
}

TEST_CASE("head check: HTTP/1.0 and every method httplib routes are accepted") {
  for (const char* method :
       {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"}) {
    CAPTURE(std::string(method));
    CHECK(checked(std::string(method) + " / HTTP/1.1\r\nHost: h\r\n\r\n").verdict() ==
          Verdict::Complete);
  }
  CHECK(checked("GET /__admin/health HTTP/1.0\r\n\r\n").verdict() == Verdict::Complete);
}

TEST_CASE("head check: HTTP/1.1 needs exactly one Host header (RFC 9112 §3.2)") {
  const RequestHeadCheck without = checked("GET / HTTP/1.1\r\nX-Other: v\r\n\r\n");
  CHECK(without.verdict() == Verdict::Invalid);
  CHECK(without.status() == 400);
  CHECK(std::string(without.problem()).find("without a Host header") != std::string::npos);
  CHECK(without.began_request_line());  // a request, so it is journaled
  const RequestHeadCheck two = checked("GET / HTTP/1.1\r\nHost: a\r\nhOsT: b\r\n\r\n");
  CHECK(two.verdict() == Verdict::Invalid);
  CHECK(std::string(two.problem()).find("more than one Host") != std::string::npos);
  // Only the name "Host" counts, in any letter case; an empty value is allowed (RFC 9112 §3.2).
  CHECK(checked("GET / HTTP/1.1\r\nHOST:\r\n\r\n").verdict() == Verdict::Complete);
  CHECK(checked("GET / HTTP/1.1\r\nHosts: a\r\n\r\n").verdict() == Verdict::Invalid);
  CHECK(checked("GET / HTTP/1.1\r\nHos: a\r\n\r\n").verdict() == Verdict::Invalid);
  CHECK(checked("GET / HTTP/1.1\r\nX-Host: a\r\n\r\n").verdict() == Verdict::Invalid);
  // HTTP/1.0 may leave it out, but not send two.
  CHECK(checked("GET / HTTP/1.0\r\n\r\n").verdict() == Verdict::Complete);
  CHECK(checked("GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n").verdict() == Verdict::Invalid);
}

TEST_CASE("head check: empty lines before the request line are skipped (RFC 9112 §2.2)") {
  const RequestHeadCheck check = checked("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n");
  CHECK(check.verdict() == Verdict::Complete);
  CHECK(check.leading_empty_line_bytes() == 4);
  CHECK(checked("\r\n").verdict() == Verdict::Incomplete);
  CHECK(checked("\rX").verdict() == Verdict::Invalid);
}

TEST_CASE("head check: malformed request lines") {
  struct Case {
    const char* name;
    std::string bytes;
    int status;
    bool began_request_line;
  };
  const std::vector<Case> cases = {
      {"JSON left over from a body", "{\"registryRef\":\"acme\"}", 400, false},
      {"a quote after a word", "Ref\":\"acme/prompts\"", 400, false},
      {"a space first", " GET / HTTP/1.1\r\n", 400, false},
      {"a NUL in the method", std::string("GE\0T / HTTP/1.1\r\n", 17), 400, false},
      {"HTTP/0.9", "GET /\r\n\r\n", 400, true},
      {"two spaces after the method", "GET  / HTTP/1.1\r\n", 400, true},
      {"a control character in the target", "GET /a\x01 HTTP/1.1\r\n", 400, true},
      {"a tab in the target", "GET /a\tb HTTP/1.1\r\n", 400, true},
      {"the HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 400, true},
      {"HTTP/9.9", "GET / HTTP/9.9\r\n", 400, true},
      {"HTTP/1.10", "GET / HTTP/1.10\r\n", 400, true},
      {"a lower-case version", "GET / http/1.1\r\n", 400, true},
      {"a space after the version", "GET / HTTP/1.1 \r\n", 400, true},
      {"a bare LF after the version", "GET / HTTP/1.1\n", 400, true},
      {"a bare CR after the version", "GET / HTTP/1.1\rX", 400, true},
      {"not HTTP at all", "THIS IS NOT HTTP\r\n\r\n", 400, true},
      {"an unknown method", "BREW /pot HTTP/1.1\r\n", 501, true},
      {"a lower-case method", "post / HTTP/1.1\r\n", 501, true},
      {"a long unknown method", "POSTPOSTPOST / HTTP/1.1\r\n", 501, true},
      {"a target over 8 KB", "GET /" + std::string(8200, 'a'), 414, true},
      {"a method over 8 KB", std::string(8200, 'G'), 400, false},
  };
  for (const Case& bad : cases) {
    CAPTURE(std::string(bad.name));
    const RequestHeadCheck check = checked(bad.bytes);
    REQUIRE(check.verdict() == Verdict::Invalid);
    CHECK(check.status() == bad.status);
    CHECK(check.began_request_line() == bad.began_request_line);
    CHECK(std::string_view(check.problem()).size() > 10);
  }
}

TEST_CASE("head check: malformed header lines are refused with 400 (RFC 9112 §5, RFC 9110 §5.5)") {
  struct Case {
    const char* name;
    std::string lines;
  };
  const std::vector<Case> cases = {
      {"a NUL byte in a value", std::string("X-Hostile: a\0b\r\n", 16)},
      {"a control character in a value", "X-Hostile: a\x1b[31m\r\n"},
      {"DEL in a value", "X-Hostile: a\x7f\r\n"},
      {"a bare CR in a value", "X-Bare: a\rb\r\n"},
      {"a bare LF ending a line", "X-Bare: a\nX-Other: b\r\n"},
      {"a line without a colon", "Not a header\r\n"},
      {"a name without a colon", "NotAHeader\r\n"},
      {"whitespace before the colon", "X-Space : v\r\n"},
      {"a tab before the colon", "X-Space\t: v\r\n"},
      {"obs-fold", "X-Folded: a\r\n  b\r\n"},
      {"obs-fold with a tab", "X-Folded: a\r\n\tb\r\n"},
      {"an empty name", ": v\r\n"},
      {"a separator in the name", "X(y): v\r\n"},
      {"non-ASCII in the name", "X-Caf\xc3\xa9: v\r\n"},
      {"a bare CR instead of the blank line", "X-Ok: v\r\n\rX"},
      {"a line over 8 KB", "X-Huge: " + std::string(64 * 1024, 'a') + "\r\n"},
  };
  for (const Case& bad : cases) {
    CAPTURE(std::string(bad.name));
    const RequestHeadCheck check = checked(publish_head_with(bad.lines));
    REQUIRE(check.verdict() == Verdict::Invalid);
    CHECK(check.status() == 400);
    CHECK(check.began_request_line());
  }
}

TEST_CASE("head check: a head is refused at the first byte that cannot become valid") {
  // The reactor hands such a connection to a worker at once: no waiting for the rest of the head
  // or for --request-timeout.
  const std::string prefix = "POST / HTTP/1.1\r\nX-Bad";
  RequestHeadCheck check;
  CHECK(check.scan(prefix) == Verdict::Incomplete);
  CHECK(check.scan(" ") == Verdict::Invalid);
  CHECK(check.scanned() == prefix.size() + 1);
  CHECK(check.failed_line_start() == std::string("POST / HTTP/1.1\r\n").size());
  // Once decided, later bytes change nothing.
  CHECK(check.scan(": v\r\n\r\n") == Verdict::Invalid);
  CHECK(check.scanned() == prefix.size() + 1);
}

TEST_CASE("head check: line and head limits") {
  // httplib's own limit is 8,192 bytes per line with its CRLF; the check refuses what it would.
  const std::string longest_value(8192 - std::string("X-Long: \r\n").size(), 'v');
  CHECK(checked(publish_head_with("X-Long: " + longest_value + "\r\n")).verdict() ==
        Verdict::Complete);
  CHECK(checked(publish_head_with("X-Long: " + longest_value + "v\r\n")).verdict() ==
        Verdict::Invalid);
  const std::string longest_target(8192 - std::string("GET  HTTP/1.1\r\n").size(), 'a');
  CHECK(checked("GET " + longest_target + " HTTP/1.1\r\nHost: h\r\n\r\n").verdict() ==
        Verdict::Complete);
  CHECK(checked("GET " + longest_target + "a HTTP/1.1\r\nHost: h\r\n\r\n").status() == 414);

  // 1,000 headers (64 KB of head) are fine; past 128 KiB the head is refused with 431.
  std::string thousand;
  for (int i = 0; i < 1000; ++i) {
    thousand += "X-Hostile-" + std::to_string(i) + ": " + std::string(48, 'v') + "\r\n";
  }
  CHECK(checked(publish_head_with(thousand)).verdict() == Verdict::Complete);
  const RequestHeadCheck too_big = checked(publish_head_with(thousand + thousand + thousand));
  CHECK(too_big.verdict() == Verdict::Invalid);
  CHECK(too_big.status() == 431);
  CHECK(too_big.scanned() == RequestHeadCheck::kMaxHeadBytes);
}

TEST_CASE("head check: header values httplib would alter are noticed") {
  // httplib percent-decodes header values and drops empty ones; the connection layer then puts
  // the values back as sent, and only then (the usual head costs nothing).
  const std::string plain = "POST /a%20b?q=%41 HTTP/1.1\r\nHost: x\r\nX-Key: k\r\n\r\n";
  CHECK(checked(plain).verdict() == Verdict::Complete);
  CHECK_FALSE(checked(plain).has_values_httplib_alters());  // a '%' in the target is fine
  CHECK(checked(publish_head_with("X-Key: a%41\r\n")).has_values_httplib_alters());
  CHECK(checked(publish_head_with("X-Empty:\r\n")).has_values_httplib_alters());
  CHECK(checked(publish_head_with("X-Blank: \t \r\n")).has_values_httplib_alters());
  const RequestHeadCheck check = checked(plain);
  CHECK(check.header_lines_start() == std::string("POST /a%20b?q=%41 HTTP/1.1\r\n").size());
}

TEST_CASE("header lines: values as sent replace httplib's decoded ones") {
  httplib::Request request;
  request.headers = {{"X-Key", "aA"}, {"REMOTE_ADDR", "127.0.0.1"}};
  prm_mock::restore_header_values_as_sent("X-Key:  a%41 \r\nX-Empty:\r\nX-Key: second\r\n",
                                          request);
  CHECK(request.headers.size() == 4);
  CHECK(request.get_header_value("X-Key", 0) == "a%41");
  CHECK(request.get_header_value("X-Key", 1) == "second");
  CHECK(request.has_header("X-Empty"));
  CHECK(request.get_header_value("REMOTE_ADDR") == "127.0.0.1");
}

TEST_CASE("head check: reset starts the next head on the connection") {
  RequestHeadCheck check = checked("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
  REQUIRE(check.verdict() == Verdict::Complete);
  check.reset();
  CHECK(check.scanned() == 0);
  CHECK(check.scan("{") == Verdict::Invalid);
}

TEST_CASE("refused head: what could be read of it is kept for the journal") {
  SUBCASE("a malformed header line: the request line and the headers before it") {
    const std::string head =
        "\r\nPOST /api/registries/artifacts?x=1 HTTP/1.1\r\nHost: h\r\nX-Key:  k \r\nX-Bad : v";
    const RequestHeadCheck check = checked(head);
    REQUIRE(check.verdict() == Verdict::Invalid);
    const auto request = readable_part_of_refused_head(head.substr(0, check.scanned()), check);
    REQUIRE(request);
    CHECK(request->method == "POST");
    CHECK(request->target == "/api/registries/artifacts?x=1");
    CHECK(request->path == "/api/registries/artifacts");
    CHECK(request->version == "HTTP/1.1");
    CHECK(request->headers.size() == 2);
    CHECK(request->get_header_value("Host") == "h");
    CHECK(request->get_header_value("X-Key") == "k");
    CHECK_FALSE(request->has_header("X-Bad"));
    CHECK_FALSE(check.failed_in_header_value());
  }
  SUBCASE("a bad byte in a value: that header up to the byte") {
    const std::string head =
        "POST / HTTP/1.1\r\nHost: h\r\nX-API-Key: k-allowed" + std::string(1, '\0') + "more\r\n";
    const RequestHeadCheck check = checked(head);
    REQUIRE(check.failed_in_header_value());
    const auto request = readable_part_of_refused_head(head.substr(0, check.scanned()), check);
    REQUIRE(request);
    CHECK(request->headers.size() == 2);
    CHECK(request->get_header_value("X-API-Key") == "k-allowed");
  }
  SUBCASE("a bare CR in a value: that header up to the CR") {
    const std::string head = "POST / HTTP/1.1\r\nX-Bare: a\rb\r\n";
    const RequestHeadCheck check = checked(head);
    REQUIRE(check.failed_in_header_value());
    const auto request = readable_part_of_refused_head(head.substr(0, check.scanned()), check);
    REQUIRE(request);
    CHECK(request->get_header_value("X-Bare") == "a");
  }
  SUBCASE("a malformed request line: its method and target so far") {
    const std::string head = "GET /a%20b\r\n\r\n";
    const RequestHeadCheck check = checked(head);
    const auto request = readable_part_of_refused_head(head.substr(0, check.scanned()), check);
    REQUIRE(request);
    CHECK(request->method == "GET");
    CHECK(request->target == "/a%20b");
    CHECK(request->path == "/a b");
    CHECK(request->headers.empty());
  }
  SUBCASE("an unknown method") {
    const std::string head = "BREW /pot HTTP/1.1\r\nHost: h\r\n\r\n";
    const RequestHeadCheck check = checked(head);
    REQUIRE(check.status() == 501);
    const auto request = readable_part_of_refused_head(head.substr(0, check.scanned()), check);
    REQUIRE(request);
    CHECK(request->method == "BREW");
    CHECK(request->path == "/pot");
    CHECK(request->version == "HTTP/1.1");
  }
  SUBCASE("bytes that never began a request line are not a request") {
    const std::string head = "Ref\":\"acme/prompts\"}";
    const RequestHeadCheck check = checked(head);
    CHECK_FALSE(readable_part_of_refused_head(head.substr(0, check.scanned()), check));
  }
}

TEST_CASE("head check: a TLS handshake is told apart from other bytes that are not HTTP") {
  // A TLS client's first bytes: a handshake record (22), version 3.x, then its length.
  for (const char minor : {'\x00', '\x01', '\x03', '\x04'}) {
    CAPTURE(int(minor));
    RequestHeadCheck check;
    CHECK(check.scan(std::string{'\x16', '\x03'}) == Verdict::Incomplete);
    CHECK(check.scan(std::string{minor, '\x00', '\x2f', '\x01'}) == Verdict::Invalid);
    CHECK(check.tls_handshake());
    CHECK(check.scanned() == 3);
    CHECK(std::string(check.problem()) ==
          "TLS handshake on a plain-HTTP port: use http://, or start prm-mock with "
          "--tls-cert/--tls-key");
    CHECK_FALSE(check.began_request_line());
    CHECK_FALSE(readable_part_of_refused_head("\x16\x03\x01", check).has_value());
  }
  for (const std::string& other :
       {std::string{'\x16', '\x02', '\x01'}, std::string{'\x16', '\x03', '\x05'},
        std::string{'\x15', '\x03'}, std::string{'\r', '\n', '\x16', '\x03', '\x01'}}) {
    const RequestHeadCheck check = checked(other);
    CHECK(check.verdict() == Verdict::Invalid);
    CHECK(check.status() == 400);
    CHECK_FALSE(check.tls_handshake());
  }
}

TEST_CASE("request line only: the request line of a request refused before it was read") {
  const auto request = prm_mock::request_line_only(
      "POST /api/registries/artifacts?x=1 HTTP/1.1\r\nHost: h\r\nX-API-Key: k\r\n");
  CHECK(request.method == "POST");
  CHECK(request.target == "/api/registries/artifacts?x=1");
  CHECK(request.path == "/api/registries/artifacts");
  CHECK(request.version == "HTTP/1.1");
  CHECK(request.headers.empty());
  // Half a line names nothing.
  const auto partial = prm_mock::request_line_only("POST /api/regis");
  CHECK(partial.method.empty());
  CHECK(partial.path.empty());
}
