// The Host allow-list (DNS rebinding) and the Host/Origin parsing it shares with the admin API.
#include <doctest/doctest.h>

#include "http/host_allow_list.hpp"
#include "http/http_authority.hpp"

using prm_mock::HostAllowList;
using prm_mock::parse_authority;
using prm_mock::parse_web_origin;

TEST_CASE("authority: host[:port], lower-cased, IPv6 in brackets, nothing else") {
  const auto named = parse_authority("LocalHost.:4010");
  REQUIRE(named);
  CHECK(named->host == "localhost");
  CHECK(named->port == 4010);
  CHECK_FALSE(parse_authority("127.0.0.1")->port.has_value());
  CHECK(parse_authority("[::1]:80")->host == "[::1]");
  CHECK(parse_authority("[::1]:80")->port == 80);
  for (const char* bad : {"", ":80", "a:", "a:-1", "a:65536", "a:8x", "a b", "user@host", "a/b",
                          "[::1", "[::1]x", "[zz]", "[]", ".", "..", "a:1:2", "h\r\nX-Evil: 1"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_authority(bad));
  }
}

TEST_CASE("origin: scheme, host and port, the port defaulted by the scheme") {
  const auto origin = parse_web_origin("HTTP://Example.test");
  REQUIRE(origin);
  CHECK(origin->scheme == "http");
  CHECK(origin->host == "example.test");
  CHECK(origin->port == 80);
  CHECK(parse_web_origin("https://example.test")->port == 443);
  CHECK(*parse_web_origin("http://localhost:80") == *parse_web_origin("http://localhost"));
  for (const char* bad : {"null", "example.test", "ftp://example.test", "http://",
                          "http://example.test/", "http://example.test/path", "file:///x"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_web_origin(bad));
  }
}

TEST_CASE("loopback addresses: 127.0.0.0/8, ::1 and localhost") {
  CHECK(prm_mock::is_ipv4_loopback("127.0.0.1"));
  CHECK(prm_mock::is_ipv4_loopback("127.255.3.9"));
  for (const char* other : {"128.0.0.1", "127.0.0", "127.0.0.1.1", "127.0.0.256", "127.-1.0.1",
                            "127.0.0.", "localhost"}) {
    CAPTURE(other);
    CHECK_FALSE(prm_mock::is_ipv4_loopback(other));
  }
  for (const char* loopback : {"127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"}) {
    CAPTURE(loopback);
    CHECK(prm_mock::is_loopback_listen_address(loopback));
  }
  for (const char* open : {"0.0.0.0", "::", "192.168.1.5", "mock.internal"}) {
    CAPTURE(open);
    CHECK_FALSE(prm_mock::is_loopback_listen_address(open));
  }
}

TEST_CASE("hosts on loopback: this machine's names on any port, nothing else") {
  const HostAllowList hosts("127.0.0.1", {});
  for (const char* allowed : {"localhost", "localhost:4010", "LOCALHOST:1", "127.0.0.1:4010",
                              "127.1.2.3", "[::1]:4010", "[::1]"}) {
    CAPTURE(allowed);
    CHECK(hosts.allows(std::string_view(allowed)));
  }
  for (const char* refused : {"evil.example:4091", "evil.example", "localhost.evil.example",
                              "127.0.0.1.evil.example", "192.168.1.5:4010", "", "x"}) {
    CAPTURE(refused);
    CHECK_FALSE(hosts.allows(std::string_view(refused)));
  }
}

TEST_CASE("hosts: --allowed-host adds aliases, in any case and on any port") {
  const HostAllowList hosts("::1", {"Mock.Local", "10.0.0.7"});
  CHECK(hosts.allows(std::string_view("mock.local:4010")));
  CHECK(hosts.allows(std::string_view("MOCK.LOCAL")));
  CHECK(hosts.allows(std::string_view("10.0.0.7:1")));
  CHECK(hosts.allows(std::string_view("[::1]:4010")));
  CHECK_FALSE(hosts.allows(std::string_view("other.local")));
}

TEST_CASE("hosts on a non-loopback address: every Host, unless --allowed-host names them") {
  const HostAllowList open("0.0.0.0", {});
  CHECK(open.allows(std::string_view("evil.example:4091")));
  CHECK(open.allows(std::string_view("not even a host")));
  // Given names restrict it; this machine's names and the listening address stay answered (the
  // container's health check, a probe by address).
  const HostAllowList named("0.0.0.0", {"mock"});
  CHECK(named.allows(std::string_view("mock:4010")));
  CHECK(named.allows(std::string_view("127.0.0.1:4010")));
  CHECK_FALSE(named.allows(std::string_view("evil.example:4010")));
  CHECK_FALSE(named.allows(std::string_view("0.0.0.0:4010")));
  const HostAllowList by_address("192.168.1.5", {"mock"});
  CHECK(by_address.allows(std::string_view("192.168.1.5:4010")));
}

TEST_CASE("hosts: a request without a Host header is answered (browsers always send one)") {
  const HostAllowList hosts("127.0.0.1", {});
  httplib::Request without_host;
  CHECK(hosts.allows(without_host));
  httplib::Request foreign;
  foreign.headers.emplace("Host", "evil.example");
  CHECK_FALSE(hosts.allows(foreign));
}

TEST_CASE("hosts: the refusal is 403 HOST_NOT_ALLOWED and says how to allow the name") {
  const HostAllowList hosts("127.0.0.1", {"alias.test"});
  httplib::Request request;
  request.headers.emplace("Host", "evil.example:4091");
  httplib::Response response;
  prm_mock::ExchangeContext exchange;
  exchange.request_id = "id-1";
  hosts.answer_refusal(request, response, exchange);
  CHECK(response.status == 403);
  CHECK(exchange.error_code == "HOST_NOT_ALLOWED");
  CHECK(response.get_header_value("Content-Type") == "application/json");
  CHECK(response.body.find(R"("code":"HOST_NOT_ALLOWED")") != std::string::npos);
  CHECK(response.body.find("--allowed-host evil.example (") != std::string::npos);
  CHECK(response.body.find("alias.test") != std::string::npos);
}
