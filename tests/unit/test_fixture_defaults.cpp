// The default fixtures: each reachable by its documented test value (fixtures/README.md) with no
// set-up, and by Prefer; the test values themselves are valid requests.
#include <doctest/doctest.h>

#include <string>

#include "contract/contract.hpp"
#include "embedded_contract.hpp"
#include "publish/advisory_rules.hpp"
#include "stubs/fixture_loader.hpp"
#include "stubs/response_renderer.hpp"

using namespace prm_mock;

namespace {

using prm_mock::testing::contract;

const FixtureSet& defaults() {
  static const auto set = load_fixture_set({}, contract()).set;
  REQUIRE(set != nullptr);
  return *set;
}

std::string publish_body(const std::string& registry_ref = "acme/prompts",
                         const std::string& prompt = "greet",
                         const std::string& version = "1.2.3") {
  return R"({"registryRef": ")" + registry_ref + R"(", "artifact": {"prompt": ")" + prompt +
         R"(", "version": ")" + version + R"(", "model": "gpt-4o", "compiled": "Hello",
         "hash": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
         "schema": {}, "components": {}, "metadata": {}}})";
}

struct Case {
  const char* test_value;
  httplib::Headers headers;
  std::string body;
  int status;
  const char* fixture;
};

}  // namespace

TEST_CASE("default fixtures: every test value reaches its fixture, with no set-up") {
  const Case cases[] = {
      {"any valid publish", {{"X-API-Key", "k-anything"}}, publish_body(), 200, "success"},
      {"X-API-Key: k-invalid", {{"X-API-Key", "k-invalid"}}, publish_body(), 401, "unauthorized"},
      {"Bearer k-invalid",
       {{"Authorization", "Bearer k-invalid"}},
       publish_body(),
       401,
       "unauthorized-bearer"},
      {"X-API-Key wins over Bearer",
       {{"X-API-Key", "k-ok"}, {"Authorization", "Bearer k-invalid"}},
       publish_body(),
       200,
       "success"},
      {"X-API-Key: k-readonly", {{"x-api-key", "k-readonly"}}, publish_body(), 403, "forbidden"},
      {"Bearer k-readonly",
       {{"authorization", "bearer k-readonly"}},
       publish_body(),
       403,
       "forbidden-bearer"},
      {"registryRef acme/does-not-exist",
       {{"X-API-Key", "k"}},
       publish_body("acme/does-not-exist"),
       404,
       "registry-not-found"},
      {"version 0.0.409",
       {{"X-API-Key", "k"}},
       publish_body("acme/prompts", "greet", "0.0.409"),
       409,
       "duplicate-version"},
      {"prompt rate-limit-me",
       {{"X-API-Key", "k"}},
       publish_body("acme/prompts", "rate-limit-me"),
       429,
       "rate-limited"},
      {"prompt server-error-me",
       {{"X-API-Key", "k"}},
       publish_body("acme/prompts", "server-error-me"),
       500,
       "server-error"},
  };
  for (const Case& each : cases) {
    CAPTURE(each.test_value);
    rapidjson::Document body;
    body.Parse(each.body.c_str());
    REQUIRE_FALSE(body.HasParseError());
    // The test values are valid requests: under the contract and under the advisory rules.
    CHECK(contract().validate(body).empty());
    CHECK(check_advisory_rules(body).empty());
    const RequestContext request{each.headers, body, "req-1"};
    const Selection selection = defaults().select(request);
    REQUIRE(selection.outcome == SelectionOutcome::Chosen);
    CHECK(selection.fixture->name == each.fixture);
    const RenderedResponse response = render(*selection.fixture, request);
    CHECK(response.status == each.status);
    CHECK(response.fixture_name == each.fixture);
    // Error bodies are what the real API documents: an object with a string `message`.
    rapidjson::Document rendered;
    rendered.Parse(response.body.c_str());
    REQUIRE(rendered.IsObject());
    if (each.status >= 400) {
      CHECK(rendered["message"].IsString());
      CHECK(rendered.MemberCount() == 1);
    }
  }
}

TEST_CASE("default fixtures: success echoes the published identity with a generated id and time") {
  rapidjson::Document body;
  body.Parse(publish_body().c_str());
  const httplib::Headers headers;
  const RequestContext request{headers, body, "req-1"};
  const RenderedResponse response = render(*defaults().find("success"), request);
  rapidjson::Document rendered;
  rendered.Parse(response.body.c_str());
  CHECK(std::string(rendered["registryRef"].GetString()) == "acme/prompts");
  CHECK(std::string(rendered["prompt"].GetString()) == "greet");
  CHECK(std::string(rendered["version"].GetString()) == "1.2.3");
  CHECK(std::string(rendered["model"].GetString()) == "gpt-4o");
  CHECK(std::string(rendered["hash"].GetString()).size() == 64);
  CHECK(std::string(rendered["id"].GetString()).size() == 36);
  CHECK(rendered["publishedAt"].IsString());
  CHECK(response.content_type == "application/json");
}

TEST_CASE("default fixtures: 429 carries Retry-After, 401 a WWW-Authenticate challenge") {
  rapidjson::Document body;
  body.Parse(publish_body().c_str());
  const httplib::Headers headers;
  const RequestContext request{headers, body, "req-1"};
  const RenderedResponse limited = render(*defaults().find("rate-limited"), request);
  REQUIRE(limited.headers.size() == 1);
  CHECK(limited.headers[0] == std::pair<std::string, std::string>{"Retry-After", "1"});
  CHECK(render(*defaults().find("unauthorized"), request).headers.at(0).first ==
        "WWW-Authenticate");
}

TEST_CASE("default fixtures: every documented status is reachable through Prefer: code") {
  rapidjson::Document body;
  body.Parse(publish_body().c_str());
  // Not a structured binding: clang 14 cannot capture one in CAPTURE's lambda.
  for (const auto& expected :
       std::initializer_list<std::pair<const char*, const char*>>{{"200", "success"},
                                                                  {"401", "unauthorized"},
                                                                  {"403", "forbidden"},
                                                                  {"404", "registry-not-found"},
                                                                  {"409", "duplicate-version"},
                                                                  {"429", "rate-limited"},
                                                                  {"500", "server-error"}}) {
    const char* code = expected.first;
    const char* name = expected.second;
    CAPTURE(code);
    const httplib::Headers headers{{"Prefer", std::string("code=") + code}};
    const Selection selection = defaults().select({headers, body, "r"});
    REQUIRE(selection.outcome == SelectionOutcome::Chosen);
    CHECK(selection.fixture->name == name);
  }
}
