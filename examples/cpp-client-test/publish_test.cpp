// The code under test would be your publish client; here a plain httplib::Client stands in for it.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#include <httplib.h>
#include <rapidjson/document.h>

#include <prm_mock/server.hpp>

namespace {

const std::string kValidBody =
    R"({"registryRef":"acme/prompts","artifact":{"prompt":"greeting","version":"1.2.0",)"
    R"("model":"gpt-4o","compiled":"Hello","schema":{},"components":{},"metadata":{},)"
    R"("hash":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}})";

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document document;
  document.Parse(text.c_str(), text.size());
  return document;
}

}  // namespace

TEST_CASE("a publish reaches the mock and is in its journal") {
  prm_mock::Config config;
  config.port = 0;      // a free port; start() returns it
  config.quiet = true;  // no per-request log lines
  prm_mock::Server server(config);
  const int port = server.start();
  REQUIRE(port > 0);

  httplib::Client client("127.0.0.1", port);
  const auto published = client.Post("/api/registries/artifacts", {{"X-API-Key", "k-test"}},
                                     kValidBody, "application/json");
  REQUIRE(published);
  CHECK(published->status == 200);
  CHECK(published->get_header_value("X-Mock-Fixture") == "success");

  const auto rejected = client.Post("/api/registries/artifacts", {{"X-API-Key", "k-test"}},
                                    R"({"registryRef":"acme/prompts"})", "application/json");
  REQUIRE(rejected);
  CHECK(rejected->status == 400);

  // The public C++ API has no journal accessor: the journal is read through the admin API.
  const auto journal = client.Get("/__admin/requests");
  REQUIRE(journal);
  REQUIRE(journal->status == 200);
  const rapidjson::Document entries = parse(journal->body);
  REQUIRE(entries.IsObject());
  REQUIRE(entries.HasMember("requests"));
  REQUIRE(entries["requests"].IsArray());
  const auto& requests = entries["requests"];  // oldest first
  REQUIRE(requests.Size() == 2);
  CHECK(requests[0]["status"].GetInt() == 200);
  CHECK(std::string(requests[0]["fixture"].GetString()) == "success");
  CHECK(std::string(requests[0]["body"]["artifact"]["prompt"].GetString()) == "greeting");
  CHECK(requests[1]["status"].GetInt() == 400);
  CHECK(requests[1]["violations"].Size() > 0);

  server.stop();
}
