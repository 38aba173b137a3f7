// url_host / url_origin: every URL the mock prints or probes is built from --host this way.
#include <doctest/doctest.h>

#include "http/url_host.hpp"

using prm_mock::url_host;
using prm_mock::url_origin;

TEST_CASE("an IPv6 literal gets brackets in a URL; names and IPv4 addresses do not") {
  CHECK(url_host("::1") == "[::1]");
  CHECK(url_host("::") == "[::]");
  CHECK(url_host("2001:db8::7") == "[2001:db8::7]");
  CHECK(url_host("[::1]") == "[::1]");
  CHECK(url_host("127.0.0.1") == "127.0.0.1");
  CHECK(url_host("localhost") == "localhost");
}

TEST_CASE("an IPv6 zone's '%' is escaped in a URL (RFC 6874)") {
  CHECK(url_host("fe80::1%eth0") == "[fe80::1%25eth0]");
}

TEST_CASE("url_origin joins scheme, host and port") {
  CHECK(url_origin(false, "::1", 4093) == "http://[::1]:4093");
  CHECK(url_origin(true, "127.0.0.1", 4010) == "https://127.0.0.1:4010");
}
