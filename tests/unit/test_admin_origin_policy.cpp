// The admin API's same-origin rules: who may read it, and which requests may change its state.
#include <doctest/doctest.h>

#include "admin/admin_origin_policy.hpp"

using prm_mock::AdminOriginPolicy;
using prm_mock::AdminOriginVerdict;

namespace {

httplib::Request admin_request(const std::string& method, const httplib::Headers& headers) {
  httplib::Request request;
  request.method = method;
  request.path = "/__admin/requests";
  request.headers = headers;
  request.headers.emplace("Host", "127.0.0.1:4010");
  return request;
}

AdminOriginVerdict judged(const AdminOriginPolicy& policy, const std::string& method,
                          const httplib::Headers& headers) {
  return policy.judge(admin_request(method, headers));
}

}  // namespace

TEST_CASE("admin origin: no Origin or its own origin passes; any other is refused") {
  const AdminOriginPolicy policy({}, false);
  CHECK(judged(policy, "GET", {}) == AdminOriginVerdict::Pass);
  CHECK(judged(policy, "GET", {{"Origin", "http://127.0.0.1:4010"}}) == AdminOriginVerdict::Pass);
  for (const char* foreign :
       {"https://evil.example", "http://127.0.0.1:4011", "https://127.0.0.1:4010",
        "http://localhost:4010", "null", "http://127.0.0.1:4010/"}) {
    CAPTURE(foreign);
    CHECK(judged(policy, "GET", {{"Origin", foreign}}) == AdminOriginVerdict::ForeignOrigin);
    CHECK(judged(policy, "POST", {{"Origin", foreign}, {"Content-Type", "application/json"}}) ==
          AdminOriginVerdict::ForeignOrigin);
  }
  // Served over TLS, the own origin is https.
  const AdminOriginPolicy tls({}, true);
  CHECK(judged(tls, "GET", {{"Origin", "https://127.0.0.1:4010"}}) == AdminOriginVerdict::Pass);
  CHECK(judged(tls, "GET", {{"Origin", "http://127.0.0.1:4010"}}) ==
        AdminOriginVerdict::ForeignOrigin);
}

TEST_CASE("admin origin: a POST or DELETE needs a JSON Content-Type or X-Requested-With") {
  const AdminOriginPolicy policy({}, false);
  for (const char* method : {"POST", "DELETE"}) {
    CAPTURE(method);
    CHECK(judged(policy, method, {}) == AdminOriginVerdict::SimpleRequest);
    for (const char* simple :
         {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"}) {
      CAPTURE(simple);
      CHECK(judged(policy, method, {{"Content-Type", simple}}) ==
            AdminOriginVerdict::SimpleRequest);
    }
    // Any header a proxy might add is not enough.
    CHECK(judged(policy, method, {{"X-Forwarded-For", "10.0.0.1"}}) ==
          AdminOriginVerdict::SimpleRequest);
    CHECK(judged(policy, method, {{"Content-Type", "application/json"}}) ==
          AdminOriginVerdict::Pass);
    CHECK(judged(policy, method, {{"Content-Type", "Application/JSON; charset=utf-8"}}) ==
          AdminOriginVerdict::Pass);
    CHECK(judged(policy, method, {{"X-Requested-With", "curl"}}) == AdminOriginVerdict::Pass);
  }
  CHECK(judged(policy, "GET", {{"Content-Type", "text/plain"}}) == AdminOriginVerdict::Pass);
}

TEST_CASE("admin origin: a listed origin passes, gets its preflight and an echoed grant") {
  const AdminOriginPolicy policy({"http://localhost:3000"}, false);
  CHECK(judged(policy, "GET", {{"Origin", "http://LOCALHOST:3000"}}) == AdminOriginVerdict::Pass);
  CHECK(judged(policy, "GET", {{"Origin", "http://localhost:3001"}}) ==
        AdminOriginVerdict::ForeignOrigin);
  CHECK(judged(policy, "OPTIONS",
               {{"Origin", "http://localhost:3000"}, {"Access-Control-Request-Method", "POST"}}) ==
        AdminOriginVerdict::Preflight);
  // Listed or not, a state change still needs the header.
  CHECK(judged(policy, "POST", {{"Origin", "http://localhost:3000"}}) ==
        AdminOriginVerdict::SimpleRequest);

  httplib::Response granted;
  policy.add_cors_headers(admin_request("GET", {{"Origin", "http://localhost:3000"}}), granted);
  CHECK(granted.get_header_value("Access-Control-Allow-Origin") == "http://localhost:3000");
  CHECK(granted.get_header_value("Vary") == "Origin");
  httplib::Response own;
  policy.add_cors_headers(admin_request("GET", {{"Origin", "http://127.0.0.1:4010"}}), own);
  CHECK_FALSE(own.has_header("Access-Control-Allow-Origin"));

  httplib::Response preflight;
  prm_mock::ExchangeContext exchange;
  policy.answer(AdminOriginVerdict::Preflight, admin_request("OPTIONS", {}), preflight, exchange);
  CHECK(preflight.status == 204);
  CHECK(preflight.get_header_value("Access-Control-Allow-Headers").find("Content-Type") !=
        std::string::npos);
}

TEST_CASE("admin origin: refusals are 403 with a stable code and say what to do") {
  const AdminOriginPolicy policy({}, false);
  prm_mock::ExchangeContext exchange;
  httplib::Response foreign;
  policy.answer(AdminOriginVerdict::ForeignOrigin,
                admin_request("GET", {{"Origin", "https://evil.example"}}), foreign, exchange);
  CHECK(foreign.status == 403);
  CHECK(exchange.error_code == "ORIGIN_NOT_ALLOWED");
  CHECK(foreign.body.find("--admin-cors-origin https://evil.example") != std::string::npos);
  httplib::Response simple;
  policy.answer(AdminOriginVerdict::SimpleRequest, admin_request("POST", {}), simple, exchange);
  CHECK(simple.status == 403);
  CHECK(exchange.error_code == "ADMIN_HEADER_REQUIRED");
  CHECK(simple.body.find("Content-Type: application/json") != std::string::npos);
}
