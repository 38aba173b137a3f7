// The HTTP details real clients meet, seen on the wire: the Date header on every kind of response,
// truthful keep-alive headers, Expect: 100-continue answered finally when the head decides, a TLS
// client on the plain port (and plain HTTP on the HTTPS port), and compression only where it pays.
#include <doctest/doctest.h>
#include <httplib.h>

#include <chrono>
#include <cstring>
#include <ctime>
#include <optional>
#include <string>

#include "hostile_checks.hpp"
#include "raw_connection.hpp"
#include "self_signed_certificate.hpp"
#include "temporary_directory.hpp"
#include "test_server.hpp"

using namespace std::chrono_literals;
using prm_mock::testing::error_code_of;
using prm_mock::testing::journal_entries;
using prm_mock::testing::journal_total;
using prm_mock::testing::kValidBody;
using prm_mock::testing::make_self_signed_certificate;
using prm_mock::testing::metrics_text;
using prm_mock::testing::parse;
using prm_mock::testing::publish_request;
using prm_mock::testing::quiet_config;
using prm_mock::testing::raw_exchange;
using prm_mock::testing::RawConnection;
using prm_mock::testing::RunningServer;
using prm_mock::testing::serve_tls_with;
using prm_mock::testing::status_of;
using prm_mock::testing::TemporaryDirectory;
using prm_mock::testing::trust_only;

namespace {

// The value of the first header line named `name` (case-insensitive) in the head of a raw
// response; nullopt when there is none.
std::optional<std::string> header_of(const std::string& response, std::string_view name) {
  const std::size_t head_end = response.find("\r\n\r\n");
  std::size_t line = response.find("\r\n");
  while (line != std::string::npos && line < head_end) {
    const std::size_t start = line + 2;
    const std::size_t end = response.find("\r\n", start);
    const std::string_view text(response.data() + start, end - start);
    if (text.size() > name.size() && text[name.size()] == ':' &&
        ::strncasecmp(text.data(), name.data(), name.size()) == 0) {
      std::string_view value = text.substr(name.size() + 1);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      return std::string(value);
    }
    line = end;
  }
  return std::nullopt;
}

// How many header lines named `name` the head has.
int header_count(const std::string& response, std::string_view name) {
  const std::string head = response.substr(0, response.find("\r\n\r\n") + 2);
  int count = 0;
  for (std::size_t at = head.find("\r\n"); at != std::string::npos;
       at = head.find("\r\n", at + 2)) {
    if (head.size() > at + 2 + name.size() && head[at + 2 + name.size()] == ':' &&
        ::strncasecmp(head.data() + at + 2, name.data(), name.size()) == 0) {
      ++count;
    }
  }
  return count;
}

// The seconds since the epoch an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT", RFC 9110 §5.6.7)
// names; nullopt when `text` is not exactly one.
std::optional<std::time_t> imf_fixdate_seconds(const std::string& text) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (text.size() != 29 || text.compare(3, 2, ", ") != 0 || text[7] != ' ' || text[11] != ' ' ||
      text[16] != ' ' || text[19] != ':' || text[22] != ':' || text.compare(25, 4, " GMT") != 0) {
    return std::nullopt;
  }
  const auto number = [&](std::size_t at, std::size_t digits) -> std::optional<int> {
    int value = 0;
    for (std::size_t index = at; index < at + digits; ++index) {
      if (text[index] < '0' || text[index] > '9') return std::nullopt;
      value = value * 10 + (text[index] - '0');
    }
    return value;
  };
  int month = -1;
  for (int index = 0; index < 12; ++index) {
    if (text.compare(8, 3, kMonths[index]) == 0) month = index;
  }
  const auto day = number(5, 2), year = number(12, 4), hour = number(17, 2), minute = number(20, 2),
             second = number(23, 2);
  if (month < 0 || !day || !year || !hour || !minute || !second) return std::nullopt;
  std::tm fields{};
  fields.tm_year = *year - 1900;
  fields.tm_mon = month;
  fields.tm_mday = *day;
  fields.tm_hour = *hour;
  fields.tm_min = *minute;
  fields.tm_sec = *second;
  const std::time_t seconds = ::timegm(&fields);
  std::tm back{};
  ::gmtime_r(&seconds, &back);
  // The weekday must be the date's own, and the fields must not have been normalised.
  if (text.compare(0, 3, kDays[back.tm_wday]) != 0 || back.tm_mday != *day) return std::nullopt;
  return seconds;
}

std::time_t seconds_now() {
  return std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
}

// The response has a Date in IMF-fixdate naming a second between `before` and now.
void check_dated_now(const std::string& response, std::time_t before) {
  CAPTURE(response);
  const auto date = header_of(response, "Date");
  REQUIRE(date.has_value());
  const auto seconds = imf_fixdate_seconds(*date);
  REQUIRE(seconds.has_value());
  CHECK(*seconds >= before);
  CHECK(*seconds <= seconds_now());
}

std::string raw_publish(const std::string& extra_lines, const std::string& body = kValidBody,
                        const std::string& version = "HTTP/1.1") {
  return "POST /api/registries/artifacts " + version +
         "\r\nHost: 127.0.0.1\r\nX-API-Key: k\r\nContent-Type: application/json\r\n"
         "Content-Length: " +
         std::to_string(body.size()) + "\r\n" + extra_lines + "\r\n" + body;
}

// The request's head only, announcing its body with Expect: 100-continue.
std::string expecting_continue(std::string request, std::size_t body_bytes) {
  request.resize(request.size() - body_bytes);
  request.insert(request.size() - 2, "Expect: 100-continue\r\n");
  return request;
}

// Bytes a TLS client sends first: a handshake record (0x16), TLS 1.0 record version (0x03 0x01),
// a length, then the start of a ClientHello.
std::string client_hello_start() {
  std::string hello = {0x16, 0x03, 0x01, 0x00, 0x2f, 0x01, 0x00, 0x00, 0x2b, 0x03, 0x03};
  hello.append(32, '\x5a');  // the client's random
  hello += std::string{0x00, 0x00, 0x02, 0x13, 0x01, 0x01, 0x00};
  return hello;
}

}  // namespace

TEST_CASE("every kind of response carries Date in IMF-fixdate") {
  const std::time_t before = seconds_now();
  SUBCASE("a response httplib writes: a publish, an error, the CORS preflight") {
    RunningServer mock;
    check_dated_now(raw_exchange(mock.port(), publish_request(true)), before);
    check_dated_now(raw_exchange(mock.port(), raw_publish("Connection: close\r\n", "{")), before);
    check_dated_now(raw_exchange(mock.port(),
                                 "OPTIONS /api/registries/artifacts HTTP/1.1\r\nHost: "
                                 "127.0.0.1\r\nConnection: close\r\n\r\n"),
                    before);
  }
  SUBCASE("a malformed head refused by the connection layer (400)") {
    RunningServer mock;
    const std::string answer = raw_exchange(mock.port(), "GET / HTTP/1.1\r\nHost : x\r\n\r\n");
    CHECK(status_of(answer) == 400);
    check_dated_now(answer, before);
  }
  SUBCASE("a head that never finished (408)") {
    prm_mock::Config config = quiet_config();
    config.request_timeout_ms = 200;
    RunningServer mock(config);
    RawConnection connection(mock.port());
    REQUIRE(connection.send("POST /api/registries/artifacts HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
    const std::string answer = connection.read_response(10s);
    CHECK(status_of(answer) == 408);
    check_dated_now(answer, before);
  }
  SUBCASE("a connection over --max-connections (503)") {
    prm_mock::Config config = quiet_config();
    config.max_connections = 1;
    RunningServer mock(config);
    RawConnection first(mock.port());
    REQUIRE(first.send(publish_request()));
    REQUIRE(status_of(first.read_response()) == 200);
    RawConnection second(mock.port());
    const std::string answer = second.read_response(10s);
    CHECK(status_of(answer) == 503);
    check_dated_now(answer, before);
  }
  SUBCASE("a response over HTTPS") {
    TemporaryDirectory certificates("prm-mock-date-tls");
    REQUIRE(make_self_signed_certificate(certificates.path()));
    prm_mock::Config config = quiet_config();
    serve_tls_with(config, certificates.path());
    RunningServer mock(config);
    httplib::SSLClient client("127.0.0.1", mock.port());
    trust_only(client, config);
    const auto answer = client.Post("/api/registries/artifacts", mock.key_headers(), kValidBody,
                                    "application/json");
    REQUIRE(answer);
    CHECK(answer->status == 200);
    const auto seconds = imf_fixdate_seconds(answer->get_header_value("Date"));
    REQUIRE(seconds.has_value());
    CHECK(*seconds >= before);
    CHECK(*seconds <= seconds_now());
  }
}

TEST_CASE("a delayed response is dated when it is sent, not when it was decided") {
  TemporaryDirectory fixtures("prm-mock-date-delay");
  fixtures.write("slow.json",
                 R"({"name":"slow","priority":-1,"delayMs":1200,"response":{"status":200}})");
  prm_mock::Config config = quiet_config();
  config.fixture_dirs = {fixtures.path().string()};
  RunningServer mock(config);
  const auto sent_at = std::chrono::system_clock::now();
  RawConnection connection(mock.port());
  std::string request = publish_request();
  request.insert(request.find("\r\n") + 2, "Prefer: example=slow\r\n");
  REQUIRE(connection.send(request));
  const std::string answer = connection.read_response(10s);
  REQUIRE(status_of(answer) == 200);
  const auto date = imf_fixdate_seconds(header_of(answer, "Date").value_or(""));
  REQUIRE(date.has_value());
  // Decided within milliseconds of sent_at, sent 1.2 s later: only the time of sending is dated
  // at least this second.
  CHECK(*date >= std::chrono::system_clock::to_time_t(sent_at + 1200ms));
}

TEST_CASE("keep-alive headers say what the connection will do") {
  SUBCASE("HTTP/1.0 without keep-alive: Connection: close and no Keep-Alive") {
    RunningServer mock;
    const std::string answer = raw_exchange(mock.port(), raw_publish("", kValidBody, "HTTP/1.0"));
    CHECK(status_of(answer) == 200);
    CHECK(header_of(answer, "Connection") == "close");
    CHECK_FALSE(header_of(answer, "Keep-Alive").has_value());
  }
  SUBCASE("HTTP/1.0 with keep-alive: Connection: keep-alive, and the connection stays open") {
    RunningServer mock;
    RawConnection connection(mock.port());
    REQUIRE(connection.send(raw_publish("Connection: Keep-Alive\r\n", kValidBody, "HTTP/1.0")));
    const std::string first = connection.read_response();
    CHECK(status_of(first) == 200);
    CHECK(header_of(first, "Connection") == "keep-alive");
    REQUIRE(connection.send(raw_publish("Connection: Keep-Alive\r\n", kValidBody, "HTTP/1.0")));
    CHECK(status_of(connection.read_response()) == 200);
  }
  SUBCASE("a response after which the connection closes never says Keep-Alive") {
    prm_mock::Config config = quiet_config();
    config.max_body_bytes = 1024;
    RunningServer mock(config);
    // 413 before the body: the connection closes, as the body cannot be read past.
    const std::string answer = raw_exchange(
        mock.port(),
        "POST /api/registries/artifacts HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: k\r\n"
        "Content-Type: application/json\r\nContent-Length: 52428800\r\n\r\n");
    CHECK(status_of(answer) == 413);
    CHECK(header_of(answer, "Connection") == "close");
    CHECK_FALSE(header_of(answer, "Keep-Alive").has_value());
  }
  SUBCASE("Keep-Alive states --idle-timeout in whole seconds (rounded down) and no request cap") {
    prm_mock::Config config = quiet_config();
    config.idle_timeout_ms = 2500;
    RunningServer mock(config);
    RawConnection connection(mock.port());
    REQUIRE(connection.send(publish_request()));
    const std::string answer = connection.read_response();
    CHECK(status_of(answer) == 200);
    CHECK(header_of(answer, "Keep-Alive") == "timeout=2");
    CHECK(header_count(answer, "Keep-Alive") == 1);
    CHECK_FALSE(header_of(answer, "Connection").has_value());
  }
}

TEST_CASE("the CORS preflight's 204 has no Content-Length (RFC 9110 §8.6)") {
  RunningServer mock;
  RawConnection connection(mock.port());
  REQUIRE(connection.send(
      "OPTIONS /api/registries/artifacts HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Origin: http://localhost:3000\r\nAccess-Control-Request-Method: POST\r\n\r\n"));
  const std::string answer = connection.read_response();
  CHECK(status_of(answer) == 204);
  CHECK_FALSE(header_of(answer, "Content-Length").has_value());
  // The connection goes on: nothing followed the head.
  REQUIRE(connection.send(publish_request()));
  CHECK(status_of(connection.read_response()) == 200);
}

TEST_CASE("Expect: 100-continue is answered finally when the head alone decides") {
  struct Case {
    std::string what;
    std::string request;
    int status;
    std::string code;
    bool journaled;
  };
  const std::string body = kValidBody;
  std::string without_key = raw_publish("", body);
  without_key.erase(without_key.find("X-API-Key: k\r\n"), 14);
  std::string text_plain = raw_publish("", body);
  text_plain.replace(text_plain.find("application/json"), 16, "text/plain");
  std::string unknown_path = raw_publish("", body);
  unknown_path.replace(unknown_path.find("/api/registries/artifacts"), 25,
                       "/api/registry/artifacts");
  std::string foreign_host = raw_publish("", body);
  foreign_host.replace(foreign_host.find("Host: 127.0.0.1"), 15, "Host: evil.example");
  const std::string too_large =
      "POST /api/registries/artifacts HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: k\r\n"
      "Content-Type: application/json\r\nContent-Length: 52428800\r\n\r\n";
  const std::string admin_without_token =
      "POST /__admin/fixtures HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Content-Length: 2\r\n\r\n{}";
  const Case cases[] = {
      {"no key: 401", expecting_continue(without_key, body.size()), 401, "UNAUTHORIZED", true},
      {"wrong media type: 415", expecting_continue(text_plain, body.size()), 415,
       "UNSUPPORTED_MEDIA_TYPE", true},
      {"unknown path: 404", expecting_continue(unknown_path, body.size()), 404, "ROUTE_NOT_FOUND",
       true},
      {"a Host the mock does not answer: 403", expecting_continue(foreign_host, body.size()), 403,
       "HOST_NOT_ALLOWED", true},
      {"declared over --max-body-bytes: 413", expecting_continue(too_large, 0), 413,
       "PAYLOAD_TOO_LARGE", true},
      {"an admin call without the token: 401", expecting_continue(admin_without_token, 2), 401,
       "UNAUTHORIZED", false},
  };
  prm_mock::Config config = quiet_config();
  config.max_body_bytes = 64 * 1024;
  config.admin_token = "t";
  RunningServer mock(config);
  const httplib::Headers admin{{"Authorization", "Bearer t"}};
  const auto newest_entry = [&] {
    const auto answer = mock.client().Get("/__admin/requests?limit=1", admin);
    REQUIRE(answer);
    return parse(answer->body);
  };
  for (const Case& each : cases) {
    CAPTURE(each.what);
    const std::uint64_t before =
        parse(mock.client().Get("/__admin/requests?limit=0", admin)->body)["total"].GetUint64();
    RawConnection connection(mock.port());
    REQUIRE(connection.send(each.request));
    const std::string answer = connection.read_response(10s);
    // The final answer comes first, without waiting for the body and without 100 Continue.
    CHECK(status_of(answer) == each.status);
    CHECK(error_code_of(answer) == each.code);
    CHECK(header_of(answer, "Content-Length").has_value());
    CHECK(header_of(answer, "Connection") == "close");
    // A client may send the body anyway; it is not taken for a next request.
    connection.send(body);
    std::string after;
    CHECK(connection.wait_closed_by_server(10s, &after));
    CHECK(after.empty());
    const auto listing = newest_entry();
    if (each.journaled) {
      CHECK(listing["total"].GetUint64() == before + 1);
      REQUIRE(listing["requests"].Size() == 1);
      CHECK(listing["requests"][0]["status"].GetInt() == each.status);
      CHECK(listing["requests"][0]["body"].IsNull());
    } else {
      CHECK(listing["total"].GetUint64() == before);
    }
  }
  SUBCASE("a request the head does not decide gets 100 Continue, and is journaled once") {
    const std::uint64_t before =
        parse(mock.client().Get("/__admin/requests?limit=0", admin)->body)["total"].GetUint64();
    RawConnection connection(mock.port());
    REQUIRE(connection.send(expecting_continue(raw_publish("", body), body.size())));
    CHECK(connection.read_response(10s).rfind("HTTP/1.1 100 Continue\r\n\r\n", 0) == 0);
    REQUIRE(connection.send(body));
    const std::string answer = connection.read_response(10s);
    CHECK(status_of(answer) == 200);
    CHECK_FALSE(header_of(answer, "Connection").has_value());
    const auto listing = newest_entry();
    CHECK(listing["total"].GetUint64() == before + 1);
    CHECK(listing["requests"][0]["status"].GetInt() == 200);
  }
}

TEST_CASE("a TLS handshake on the plain-HTTP port is closed unanswered, journaled and counted") {
  RunningServer mock;
  RawConnection connection(mock.port());
  REQUIRE(connection.send(client_hello_start()));
  std::string answer;
  CHECK(connection.wait_closed_by_server(10s, &answer));
  CHECK(answer.empty());  // a TLS client cannot read an HTTP answer
  const auto listing = journal_entries(mock, 1);
  REQUIRE(listing["requests"].Size() == 1);
  const auto& entry = listing["requests"][0];
  CHECK(std::string(entry["method"].GetString()).empty());
  CHECK(entry["status"].GetInt() == 0);
  REQUIRE(entry["violations"].Size() == 1);
  CHECK(std::string(entry["violations"][0]["location"].GetString()) == "connection");
  CHECK(std::string(entry["violations"][0]["keyword"].GetString()) == "TLS_ON_PLAIN_PORT");
  CHECK(std::string(entry["violations"][0]["message"].GetString()) ==
        "TLS handshake on a plain-HTTP port: use http://, or start prm-mock with "
        "--tls-cert/--tls-key");
  const std::string metrics = metrics_text(mock);
  CHECK(metrics.find("prm_mock_tls_on_plain_port_total 1\n") != std::string::npos);
  // Not a request answered with a status: the per-status request counter leaves it out.
  CHECK(metrics.find("prm_mock_requests_total{status=\"0\"}") == std::string::npos);
  // Bytes that are neither HTTP nor TLS are still refused with a 400.
  CHECK(status_of(raw_exchange(mock.port(), std::string{0x16, 0x7f, 0x01, '\r', '\n'})) == 400);
}

TEST_CASE("plain HTTP on the HTTPS port gets a readable 400 in clear text, journaled and counted") {
  TemporaryDirectory certificates("prm-mock-plain-on-tls");
  REQUIRE(make_self_signed_certificate(certificates.path()));
  prm_mock::Config config = quiet_config();
  serve_tls_with(config, certificates.path());
  RunningServer mock(config);
  RawConnection plain(mock.port());
  REQUIRE(plain.send(publish_request()));
  std::string answer;
  CHECK(plain.wait_closed_by_server(10s, &answer));
  CHECK(status_of(answer) == 400);
  CHECK(error_code_of(answer) == "PLAIN_HTTP_ON_TLS_PORT");
  CHECK(answer.find("use https://") != std::string::npos);
  CHECK(header_of(answer, "Connection") == "close");
  CHECK(header_of(answer, "Date").has_value());

  httplib::SSLClient client("127.0.0.1", mock.port());
  trust_only(client, config);
  const auto journal = client.Get("/__admin/requests?limit=1");
  REQUIRE(journal);
  const auto listing = parse(journal->body);
  REQUIRE(listing["requests"].Size() == 1);
  const auto& entry = listing["requests"][0];
  CHECK(std::string(entry["method"].GetString()) == "POST");
  CHECK(std::string(entry["path"].GetString()) == "/api/registries/artifacts");
  CHECK(entry["status"].GetInt() == 400);
  REQUIRE(entry["violations"].Size() == 1);
  CHECK(std::string(entry["violations"][0]["keyword"].GetString()) == "PLAIN_HTTP_ON_TLS_PORT");
  const auto metrics = client.Get("/__admin/metrics");
  REQUIRE(metrics);
  CHECK(metrics->body.find("prm_mock_plain_http_on_tls_port_total 1\n") != std::string::npos);
}

TEST_CASE("only bodies of 1 KiB or more are compressed, and those say Vary: Accept-Encoding") {
  RunningServer mock;
  SUBCASE("a small error body goes out as it is, and its encoding depends on nothing") {
    std::string request = raw_publish("Accept-Encoding: br, gzip\r\nConnection: close\r\n");
    request.erase(request.find("X-API-Key: k\r\n"), 14);
    const std::string answer = raw_exchange(mock.port(), request);
    CHECK(status_of(answer) == 401);
    CHECK_FALSE(header_of(answer, "Content-Encoding").has_value());
    CHECK_FALSE(header_of(answer, "Vary").has_value());
    CHECK(error_code_of(answer) == "UNAUTHORIZED");
  }
  SUBCASE("a large body is compressed for a client that accepts it, with Vary either way") {
    const std::string metrics_request =
        "GET /__admin/metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    const std::string plain = raw_exchange(mock.port(), metrics_request + "\r\n");
    REQUIRE(status_of(plain) == 200);
    REQUIRE(plain.size() - plain.find("\r\n\r\n") - 4 >= 1024);
    CHECK_FALSE(header_of(plain, "Content-Encoding").has_value());
    CHECK(header_of(plain, "Vary") == "Accept-Encoding");
    const std::string gzip =
        raw_exchange(mock.port(), metrics_request + "Accept-Encoding: gzip\r\n\r\n");
    REQUIRE(status_of(gzip) == 200);
    CHECK(header_of(gzip, "Content-Encoding") == "gzip");
    CHECK(header_of(gzip, "Vary") == "Accept-Encoding");
  }
}
