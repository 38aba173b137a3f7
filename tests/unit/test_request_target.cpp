// What routing reads from the target as sent, and the headers httplib adds that no client sent.
#include <doctest/doctest.h>

#include "http/connection_pseudo_headers.hpp"
#include "http/request_target.hpp"

using prm_mock::has_encoded_slash;
using prm_mock::is_connection_pseudo_header;
using prm_mock::target_path;

TEST_CASE("request target: the path is the target up to its query") {
  CHECK(target_path("/a%2Fb?x=1") == "/a%2Fb");
  CHECK(target_path("/a/b") == "/a/b");
  CHECK(target_path("/a?") == "/a");
}

TEST_CASE("request target: an encoded slash in the path, in either case, and not in the query") {
  CHECK(has_encoded_slash("/__admin%2Freset"));
  CHECK(has_encoded_slash("/api%2fregistries"));
  CHECK(has_encoded_slash("/a%2F"));
  CHECK_FALSE(has_encoded_slash("/a/b"));
  CHECK_FALSE(has_encoded_slash("/a?next=%2F"));
  CHECK_FALSE(has_encoded_slash("/a%2"));
  CHECK_FALSE(has_encoded_slash("/a%252F"));  // "%25" is the '%': this decodes to "%2F", not '/'
  CHECK_FALSE(has_encoded_slash("/a%2E%2E"));
}

TEST_CASE("connection pseudo-headers: exactly the four httplib adds, as it spells them") {
  for (const char* name : {"REMOTE_ADDR", "REMOTE_PORT", "LOCAL_ADDR", "LOCAL_PORT"}) {
    CAPTURE(name);
    CHECK(is_connection_pseudo_header(name));
  }
  CHECK_FALSE(is_connection_pseudo_header("Remote_Addr"));
  CHECK_FALSE(is_connection_pseudo_header("X-Forwarded-For"));
  CHECK_FALSE(is_connection_pseudo_header("Host"));
}
