// A local stub must not hand its journal to the web pages its user visits: the Host allow-list
// (DNS rebinding) and the admin API's same-origin rules, through real connections.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "hostile_checks.hpp"
#include "raw_connection.hpp"
#include "test_server.hpp"

using prm_mock::testing::error_code_of;
using prm_mock::testing::journal_total;
using prm_mock::testing::kValidBody;
using prm_mock::testing::parse;
using prm_mock::testing::quiet_config;
using prm_mock::testing::raw_exchange;
using prm_mock::testing::RunningServer;
using prm_mock::testing::status_of;

namespace {

// One request on its own connection, closed after the answer; `head_lines` end with "\r\n".
std::string secured_exchange(const RunningServer& mock, const std::string& method,
                             const std::string& target, const std::string& head_lines,
                             const std::string& body = "") {
  return raw_exchange(mock.port(), method + " " + target + " HTTP/1.1\r\n" + head_lines +
                                       "Content-Length: " + std::to_string(body.size()) +
                                       "\r\nConnection: close\r\n\r\n" + body);
}

std::string host_line(const std::string& host) { return "Host: " + host + "\r\n"; }

std::string publish_lines(const std::string& host) {
  return host_line(host) + "X-API-Key: k-test\r\nContent-Type: application/json\r\n";
}

// The value of header `name` in a raw response head, or "" without one.
std::string raw_header(const std::string& response, const std::string& name) {
  const std::string head = response.substr(0, response.find("\r\n\r\n"));
  const std::size_t at = head.find("\r\n" + name + ": ");
  if (at == std::string::npos) return "";
  const std::size_t start = at + 4 + name.size();
  return head.substr(start, head.find("\r\n", start) - start);
}

prm_mock::Config listening_on(const std::string& address,
                              const std::vector<std::string>& allowed_hosts = {}) {
  prm_mock::Config config = quiet_config();
  config.host = address;
  config.allowed_hosts = allowed_hosts;
  return config;
}

}  // namespace

TEST_CASE("local security: on loopback a foreign Host is refused 403 on every path, journaled") {
  RunningServer mock;
  const std::string own = "127.0.0.1:" + std::to_string(mock.port());
  const std::string publish = secured_exchange(mock, "POST", "/api/registries/artifacts",
                                               publish_lines("evil.example:4091"), kValidBody);
  CHECK(status_of(publish) == 403);
  CHECK(error_code_of(publish) == "HOST_NOT_ALLOWED");
  CHECK(raw_header(publish, "Content-Type") == "application/json");
  CHECK(publish.find("--allowed-host evil.example") != std::string::npos);
  const std::string admin =
      secured_exchange(mock, "GET", "/__admin/requests", host_line("evil.example:4091"));
  CHECK(status_of(admin) == 403);
  CHECK(error_code_of(admin) == "HOST_NOT_ALLOWED");
  CHECK(admin.find("\"requests\"") == std::string::npos);
  // Both refusals are in the journal, the publish under its own request id.
  const auto listing = parse(mock.client().Get("/__admin/requests")->body);
  REQUIRE(listing["requests"].Size() == 2);
  CHECK(listing["requests"][0]["status"].GetInt() == 403);
  CHECK(std::string(listing["requests"][0]["id"].GetString()) ==
        raw_header(publish, "X-Request-Id"));
  CHECK(std::string(listing["requests"][1]["path"].GetString()) == "/__admin/requests");
  // This machine's names are answered on any port.
  const std::string port = std::to_string(mock.port());
  for (const std::string& host :
       std::vector<std::string>{own, "localhost:" + port, "127.0.0.2", "[::1]:" + port}) {
    CAPTURE(host);
    CHECK(status_of(secured_exchange(mock, "POST", "/api/registries/artifacts", publish_lines(host),
                                     kValidBody)) == 200);
  }
}

TEST_CASE("local security: --allowed-host adds an alias on loopback") {
  RunningServer mock(listening_on("127.0.0.1", {"mock.test"}));
  CHECK(status_of(secured_exchange(mock, "POST", "/api/registries/artifacts",
                                   publish_lines("mock.test:8080"), kValidBody)) == 200);
  CHECK(status_of(secured_exchange(mock, "POST", "/api/registries/artifacts",
                                   publish_lines("other.test:8080"), kValidBody)) == 403);
}

TEST_CASE("local security: listening on 0.0.0.0 every Host is answered, unless names are given") {
  RunningServer open(listening_on("0.0.0.0"));
  CHECK(status_of(secured_exchange(open, "POST", "/api/registries/artifacts",
                                   publish_lines("evil.example:4091"), kValidBody)) == 200);
  CHECK(status_of(secured_exchange(open, "GET", "/__admin/requests", host_line("prm-mock:4010"))) ==
        200);

  RunningServer named(listening_on("0.0.0.0", {"prm-mock"}));
  CHECK(status_of(secured_exchange(named, "GET", "/__admin/health", host_line("prm-mock:4010"))) ==
        200);
  CHECK(status_of(secured_exchange(named, "GET", "/__admin/health", host_line("127.0.0.1"))) ==
        200);
  const std::string foreign =
      secured_exchange(named, "GET", "/__admin/health", host_line("evil.example"));
  CHECK(status_of(foreign) == 403);
  CHECK(error_code_of(foreign) == "HOST_NOT_ALLOWED");
}

TEST_CASE("local security: a cross-origin read of the journal gets no CORS grant and a 403") {
  RunningServer mock;
  REQUIRE(mock.publish(kValidBody)->status == 200);
  const std::string own = "127.0.0.1:" + std::to_string(mock.port());
  const std::string cross = secured_exchange(mock, "GET", "/__admin/requests",
                                             host_line(own) + "Origin: https://evil.example\r\n");
  CHECK(status_of(cross) == 403);
  CHECK(error_code_of(cross) == "ORIGIN_NOT_ALLOWED");
  CHECK(raw_header(cross, "Access-Control-Allow-Origin").empty());
  CHECK(cross.find("k-test") == std::string::npos);
  // Its preflight is refused the same way.
  const std::string preflight = secured_exchange(
      mock, "OPTIONS", "/__admin/reset",
      host_line(own) + "Origin: https://evil.example\r\nAccess-Control-Request-Method: POST\r\n");
  CHECK(status_of(preflight) == 403);
  CHECK(raw_header(preflight, "Access-Control-Allow-Origin").empty());
  // The mock's own origin and Origin-less clients read it, without a grant to everyone.
  const std::string same = secured_exchange(mock, "GET", "/__admin/requests",
                                            host_line(own) + "Origin: http://" + own + "\r\n");
  CHECK(status_of(same) == 200);
  CHECK(raw_header(same, "Access-Control-Allow-Origin").empty());
  const auto plain = mock.client().Get("/__admin/requests");
  CHECK(plain->status == 200);
  CHECK_FALSE(plain->has_header("Access-Control-Allow-Origin"));
  // The publish endpoint keeps its CORS for browser clients of the real API.
  const std::string publish =
      secured_exchange(mock, "POST", "/api/registries/artifacts",
                       publish_lines(own) + "Origin: https://app.example\r\n", kValidBody);
  CHECK(status_of(publish) == 200);
  CHECK(raw_header(publish, "Access-Control-Allow-Origin") == "*");
}

TEST_CASE("local security: a text/plain cross-site reset is refused and the journal is intact") {
  RunningServer mock;
  REQUIRE(mock.publish(kValidBody)->status == 200);
  REQUIRE(mock.publish(kValidBody)->status == 200);
  const std::string own = "127.0.0.1:" + std::to_string(mock.port());
  const std::string cross_site = secured_exchange(
      mock, "POST", "/__admin/reset",
      host_line(own) + "Origin: https://evil.example\r\nContent-Type: text/plain\r\n", "x");
  CHECK(status_of(cross_site) == 403);
  // A browser that sent no Origin still could not have added the header a reset needs.
  for (const std::string target : {"/__admin/reset", "/__admin/requests"}) {
    CAPTURE(target);
    const std::string method = target == "/__admin/reset" ? "POST" : "DELETE";
    const std::string simple =
        secured_exchange(mock, method, target, host_line(own) + "Content-Type: text/plain\r\n");
    CHECK(status_of(simple) == 403);
    CHECK(error_code_of(simple) == "ADMIN_HEADER_REQUIRED");
  }
  CHECK(journal_total(mock) == 2);
  CHECK(mock.client().Get("/__admin/fixtures/success")->status == 200);
  // What a test harness sends passes.
  CHECK(mock.client().Post("/__admin/reset", "", "application/json")->status == 200);
  CHECK(journal_total(mock) == 0);
  REQUIRE(mock.publish(kValidBody)->status == 200);
  CHECK(mock.client()
            .Post("/__admin/reset", prm_mock::testing::kAdminStateChange, "", "text/plain")
            ->status == 200);
  CHECK(journal_total(mock) == 0);
}

TEST_CASE("local security: --admin-cors-origin grants that origin, echoed, and only it") {
  prm_mock::Config config = quiet_config();
  config.admin_cors_origins = {"http://localhost:3000"};
  RunningServer mock(config);
  const std::string own = "127.0.0.1:" + std::to_string(mock.port());
  const std::string listed = secured_exchange(mock, "GET", "/__admin/requests",
                                              host_line(own) + "Origin: http://localhost:3000\r\n");
  CHECK(status_of(listed) == 200);
  CHECK(raw_header(listed, "Access-Control-Allow-Origin") == "http://localhost:3000");
  CHECK(raw_header(listed, "Vary") == "Origin");
  const std::string preflight = secured_exchange(
      mock, "OPTIONS", "/__admin/reset",
      host_line(own) +
          "Origin: http://localhost:3000\r\nAccess-Control-Request-Method: POST\r\n"
          "Access-Control-Request-Headers: content-type\r\n");
  CHECK(status_of(preflight) == 204);
  CHECK(raw_header(preflight, "Access-Control-Allow-Origin") == "http://localhost:3000");
  CHECK(raw_header(preflight, "Access-Control-Allow-Methods").find("POST") != std::string::npos);
  CHECK(status_of(secured_exchange(mock, "GET", "/__admin/requests",
                                   host_line(own) + "Origin: http://localhost:3001\r\n")) == 403);
}

TEST_CASE("local security: the admin token is checked, and never journaled as sent") {
  prm_mock::Config config = quiet_config();
  config.admin_token = "t0ken-very-secret";
  RunningServer mock(config);
  const httplib::Headers right{{"Authorization", "Bearer t0ken-very-secret"}};
  CHECK(mock.client()
            .Get("/__admin/requests", {{"Authorization", "Bearer t0ken-very-secre"}})
            ->status == 401);
  CHECK(mock.client()
            .Get("/__admin/requests", {{"Authorization", "Bearer t0ken-very-secretX"}})
            ->status == 401);
  // A request refused for its Host is journaled with its headers, the token redacted.
  CHECK(status_of(secured_exchange(
            mock, "GET", "/__admin/requests",
            host_line("evil.example") + "Authorization: Bearer t0ken-very-secret\r\n")) == 403);
  const auto listing = mock.client().Get("/__admin/requests", right);
  REQUIRE(listing->status == 200);
  CHECK(parse(listing->body)["total"].GetInt() == 1);
  CHECK(listing->body.find("t0ken-very-secret") == std::string::npos);
}
