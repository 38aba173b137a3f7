// The inspector page's routes (GET /__admin/, its script and style) over HTTP: what they serve,
// the headers that hold the browser to text-only rendering, and how the admin API's token and
// origin rules treat the page and the calls it makes. The page's behaviour in a browser is
// tests/browser/test_inspector.py's.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "test_server.hpp"

using prm_mock::testing::parse;
using prm_mock::testing::quiet_config;
using prm_mock::testing::RunningServer;

namespace {

constexpr const char* kPageContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

std::string inspector_source(const std::string& name) {
  std::ifstream file(std::string(PRM_MOCK_SOURCE_DIR) + "/mock/ui/" + name, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

struct PageFile {
  const char* path;
  const char* source;  // in mock/ui
  const char* content_type;
};

constexpr PageFile kPageFiles[] = {
    {"/__admin/", "index.html", "text/html; charset=utf-8"},
    {"/__admin/ui", "index.html", "text/html; charset=utf-8"},
    {"/__admin/ui/app.js", "app.js", "text/javascript; charset=utf-8"},
    {"/__admin/ui/app.css", "app.css", "text/css; charset=utf-8"},
};

}  // namespace

TEST_CASE("inspector page: each file is served as built, with headers that confine the page") {
  RunningServer mock;
  for (const PageFile& file : kPageFiles) {
    CAPTURE(file.path);
    const auto answer = mock.client().Get(file.path);
    REQUIRE(answer);
    CHECK(answer->status == 200);
    CHECK(answer->get_header_value("Content-Type") == file.content_type);
    CHECK(answer->body == inspector_source(file.source));
    CHECK(answer->get_header_value("Content-Security-Policy") == kPageContentSecurityPolicy);
    CHECK(answer->get_header_value("X-Content-Type-Options") == "nosniff");
    CHECK(answer->get_header_value("Referrer-Policy") == "no-referrer");
    CHECK(answer->get_header_value("Cache-Control") == "no-cache");
    CHECK_FALSE(answer->has_header("Access-Control-Allow-Origin"));
  }
  const auto head = mock.client().Head("/__admin/ui/app.js");
  REQUIRE(head);
  CHECK(head->status == 200);
  CHECK(head->body.empty());
  CHECK(head->get_header_value("Content-Security-Policy") == kPageContentSecurityPolicy);
  // The admin API answers JSON elsewhere, with no page headers.
  CHECK_FALSE(mock.client().Get("/__admin/health")->has_header("Content-Security-Policy"));
}

TEST_CASE("inspector page: open without the admin token, while the data it reads is not") {
  prm_mock::Config config = quiet_config();
  config.admin_token = "page-test-token";
  RunningServer mock(config);
  for (const PageFile& file : kPageFiles) {
    CAPTURE(file.path);
    CHECK(mock.client().Get(file.path)->status == 200);
  }
  CHECK(mock.client().Get("/__admin/requests")->status == 401);
  CHECK(mock.client().Get("/__admin/fixtures")->status == 401);
  CHECK(mock.client()
            .Get("/__admin/requests", {{"Authorization", "Bearer page-test-token"}})
            ->status == 200);
}

TEST_CASE("inspector page: its same-origin calls pass under both loopback names, others do not") {
  RunningServer mock;
  const std::string port = std::to_string(mock.port());
  for (const std::string host : {"127.0.0.1", "localhost"}) {
    CAPTURE(host);
    // The page's fetch() of the journal as a browser may send it: with its own origin.
    const httplib::Headers same_origin{{"Host", host + ":" + port},
                                       {"Origin", "http://" + host + ":" + port},
                                       {"Sec-Fetch-Site", "same-origin"}};
    CHECK(mock.client().Get("/__admin/", same_origin)->status == 200);
    const auto listing = mock.client().Get("/__admin/requests", same_origin);
    CHECK(listing->status == 200);
    CHECK(parse(listing->body).HasMember("requests"));
    CHECK(mock.client().Get("/__admin/fixtures", same_origin)->status == 200);
  }
  const auto foreign = mock.client().Get(
      "/__admin/requests", {{"Origin", "http://evil.example"}, {"Sec-Fetch-Site", "cross-site"}});
  CHECK(foreign->status == 403);
  // Loading the page and its files is not a request to the mock's API: nothing is journaled.
  const auto journal = parse(mock.client().Get("/__admin/requests")->body);
  CHECK(journal["requests"].Size() == 0);
}
