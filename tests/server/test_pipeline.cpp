// The request pipeline through a real HTTP client against an in-process server:
// one test per step, in order, and the error body each failure returns.
#include <doctest/doctest.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "test_server.hpp"

using prm_mock::testing::kValidBody;
using prm_mock::testing::parse;
using prm_mock::testing::RunningServer;
using prm_mock::testing::valid_body_with;

namespace {

void check_error_body(const httplib::Result& result, int status, const char* code) {
  REQUIRE(result);
  CHECK(result->status == status);
  CHECK(result->get_header_value("Content-Type").find("application/json") == 0);
  const auto body = parse(result->body);
  REQUIRE(body.IsObject());
  CHECK(std::string(body["code"].GetString()) == code);
  CHECK(body["status"].GetInt() == status);
  CHECK(body["message"].IsString());
  CHECK(body["violations"].IsArray());
  REQUIRE(body["requestId"].IsString());
  CHECK(std::string(body["requestId"].GetString()) == result->get_header_value("X-Request-Id"));
}

}  // namespace

TEST_CASE("a valid publish gets 200 echoing the published identity") {
  RunningServer mock;
  const auto result = mock.publish(kValidBody);
  REQUIRE(result);
  CHECK(result->status == 200);
  CHECK_FALSE(result->get_header_value("X-Request-Id").empty());
  const auto body = parse(result->body);
  REQUIRE(body.IsObject());
  CHECK(std::string(body["registryRef"].GetString()) == "acme/prompts");
  CHECK(std::string(body["prompt"].GetString()) == "greeting");
  CHECK(std::string(body["version"].GetString()) == "1.2.0");
  CHECK(std::string(body["model"].GetString()) == "gpt-4o");
  CHECK(std::string(body["hash"].GetString()).size() == 64);
  CHECK(std::string(body["id"].GetString()).size() == 36);
  CHECK_FALSE(result->has_header("X-Mock-Violations"));
  CHECK_FALSE(result->has_header("X-Mock-Warnings"));
}

TEST_CASE("every response carries a distinct X-Request-Id") {
  RunningServer mock;
  const auto first = mock.publish(kValidBody);
  const auto second = mock.client().Get("/nowhere");
  REQUIRE(first);
  REQUIRE(second);
  CHECK_FALSE(second->get_header_value("X-Request-Id").empty());
  CHECK(first->get_header_value("X-Request-Id") != second->get_header_value("X-Request-Id"));
}

TEST_CASE("step 1: unknown paths get 404, near misses name the right path") {
  RunningServer mock;
  auto client = mock.client();
  SUBCASE("unrelated path") {
    const auto result = client.Get("/nothing/here");
    check_error_body(result, 404, "ROUTE_NOT_FOUND");
    CHECK(result->body.find("/api/registries/artifacts") != std::string::npos);
  }
  SUBCASE("the path without the base path") {
    const auto result =
        client.Post("/registries/artifacts", mock.key_headers(), kValidBody, "application/json");
    check_error_body(result, 404, "ROUTE_NOT_FOUND");
    const auto body = parse(result->body);
    const std::string message = body["message"].GetString();
    CHECK(message.find("did you mean POST /api/registries/artifacts") != std::string::npos);
    CHECK(message.find("base path is /api") != std::string::npos);
  }
  SUBCASE("a trailing slash") {
    const auto result = client.Post("/api/registries/artifacts/", mock.key_headers(), kValidBody,
                                    "application/json");
    check_error_body(result, 404, "ROUTE_NOT_FOUND");
    CHECK(result->body.find("did you mean POST /api/registries/artifacts") != std::string::npos);
  }
  SUBCASE("a typo") {
    const auto result =
        client.Post("/api/registries/artifact", mock.key_headers(), kValidBody, "application/json");
    check_error_body(result, 404, "ROUTE_NOT_FOUND");
    CHECK(result->body.find("did you mean POST /api/registries/artifacts") != std::string::npos);
  }
}

TEST_CASE("step 1: the publish path with another method gets 405 and Allow") {
  RunningServer mock;
  auto client = mock.client();
  for (const auto& result :
       {client.Get("/api/registries/artifacts"),
        client.Put("/api/registries/artifacts", kValidBody, "application/json"),
        client.Delete("/api/registries/artifacts")}) {
    check_error_body(result, 405, "METHOD_NOT_ALLOWED");
    CHECK(result->get_header_value("Allow") == "POST");
  }
}

TEST_CASE("step 1: CORS preflight and headers") {
  RunningServer mock;
  const auto preflight = mock.client().Options("/api/registries/artifacts");
  REQUIRE(preflight);
  CHECK(preflight->status == 204);
  CHECK(preflight->get_header_value("Access-Control-Allow-Methods") == "POST");
  CHECK(preflight->get_header_value("Access-Control-Allow-Headers").find("X-API-Key") !=
        std::string::npos);
  const auto publish = mock.publish(kValidBody);
  REQUIRE(publish);
  CHECK(publish->get_header_value("Access-Control-Allow-Origin") == "*");

  auto config = prm_mock::testing::quiet_config();
  config.cors = false;
  RunningServer without_cors(config);
  const auto plain = without_cors.publish(kValidBody);
  REQUIRE(plain);
  CHECK_FALSE(plain->has_header("Access-Control-Allow-Origin"));
}

TEST_CASE("step 2: auth through X-API-Key or Bearer, X-API-Key wins") {
  auto config = prm_mock::testing::quiet_config();
  config.api_keys = {"k-good"};
  RunningServer mock(config);
  auto client = mock.client();
  const auto post = [&](const httplib::Headers& headers) {
    return client.Post("/api/registries/artifacts", headers, kValidBody, "application/json");
  };
  check_error_body(post({}), 401, "UNAUTHORIZED");
  check_error_body(post({{"X-API-Key", "k-bad"}}), 401, "UNAUTHORIZED");
  check_error_body(post({{"X-API-Key", ""}}), 401, "UNAUTHORIZED");
  check_error_body(post({{"Authorization", "Basic abc"}}), 401, "UNAUTHORIZED");
  CHECK(post({{"X-API-Key", "k-good"}})->status == 200);
  CHECK(post({{"x-api-key", "k-good"}})->status == 200);
  CHECK(post({{"Authorization", "Bearer k-good"}})->status == 200);
  CHECK(post({{"Authorization", "bearer k-good"}})->status == 200);
  // When both are present X-API-Key decides, whichever of the two is right.
  check_error_body(post({{"X-API-Key", "k-bad"}, {"Authorization", "Bearer k-good"}}), 401,
                   "UNAUTHORIZED");
  CHECK(post({{"X-API-Key", "k-good"}, {"Authorization", "Bearer k-bad"}})->status == 200);
}

TEST_CASE("step 2: without --api-key any non-empty key is accepted") {
  RunningServer mock;
  auto client = mock.client();
  CHECK(client
            .Post("/api/registries/artifacts", {{"X-API-Key", "anything"}}, kValidBody,
                  "application/json")
            ->status == 200);
  check_error_body(client.Post("/api/registries/artifacts", kValidBody, "application/json"), 401,
                   "UNAUTHORIZED");
}

TEST_CASE("step 3: the body must be declared as JSON") {
  RunningServer mock;
  check_error_body(mock.publish(kValidBody, "text/plain"), 415, "UNSUPPORTED_MEDIA_TYPE");
  check_error_body(mock.publish(kValidBody, "application/json; charset=latin1"), 415,
                   "UNSUPPORTED_MEDIA_TYPE");
  check_error_body(
      mock.client().Post("/api/registries/artifacts", mock.key_headers(), kValidBody, ""), 415,
      "UNSUPPORTED_MEDIA_TYPE");
  CHECK(mock.publish(kValidBody, "application/json; charset=utf-8")->status == 200);
  CHECK(mock.publish(kValidBody, "Application/JSON;charset=UTF-8")->status == 200);
}

TEST_CASE("step 4: a body over the limit gets 413, with a length or chunked") {
  auto config = prm_mock::testing::quiet_config();
  config.max_body_bytes = 1000;
  RunningServer mock(config);
  const std::string big =
      valid_body_with("/artifact/compiled", "\"" + std::string(2000, 'x') + "\"");
  check_error_body(mock.publish(big), 413, "PAYLOAD_TOO_LARGE");
  // Chunked: no length announced, the limit is found while reading.
  auto client = mock.client();
  const auto chunked = client.Post(
      "/api/registries/artifacts", mock.key_headers(),
      [&](size_t offset, httplib::DataSink& sink) {
        if (offset < 5000) {
          sink.write(big.data(), std::min<size_t>(big.size(), 500));
        } else {
          sink.done();
        }
        return true;
      },
      "application/json");
  check_error_body(chunked, 413, "PAYLOAD_TOO_LARGE");
  CHECK(mock.publish(kValidBody)->status == 200);
}

TEST_CASE("step 5: malformed JSON gets 400 with the byte offset") {
  RunningServer mock;
  SUBCASE("truncated") {
    const auto result = mock.publish(R"({"registryRef": "a/b", )");
    check_error_body(result, 400, "MALFORMED_JSON");
    CHECK(parse(result->body)["offset"].GetInt() == 23);
  }
  SUBCASE("trailing garbage") {
    const auto result = mock.publish(kValidBody + " x");
    check_error_body(result, 400, "MALFORMED_JSON");
    CHECK(parse(result->body)["offset"].GetInt() == static_cast<int>(kValidBody.size() + 1));
  }
  SUBCASE("invalid UTF-8") {
    std::string body = kValidBody;
    body.replace(body.find("greeting"), 1, "\xC3\x28");
    check_error_body(mock.publish(body), 400, "MALFORMED_JSON");
  }
  SUBCASE("empty body") { check_error_body(mock.publish(""), 400, "MALFORMED_JSON"); }
  SUBCASE("nesting far deeper than the limit") {
    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    check_error_body(mock.publish(deep), 400, "NESTING_TOO_DEEP");
  }
  CHECK(mock.publish(kValidBody)->status == 200);
}

TEST_CASE("step 6: every contract violation is listed with its JSON pointer") {
  RunningServer mock;
  auto body = parse(kValidBody);
  body["artifact"].RemoveMember("hash");
  body["artifact"]["version"].SetInt(3);
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  body.Accept(writer);
  const auto result = mock.publish(buffer.GetString());
  check_error_body(result, 400, "CONTRACT_VIOLATION");
  const auto error = parse(result->body);
  CHECK(std::string(error["message"].GetString()) ==
        "request body violates the contract (2 problems)");
  const auto& violations = error["violations"];
  REQUIRE(violations.Size() == 2);
  std::set<std::pair<std::string, std::string>> found;
  for (const auto& violation : violations.GetArray()) {
    CHECK(std::string(violation["location"].GetString()) == "body");
    found.emplace(violation["pointer"].GetString(), violation["keyword"].GetString());
  }
  CHECK(found.count({"/artifact/hash", "required"}) == 1);
  CHECK(found.count({"/artifact/version", "type"}) == 1);
}

TEST_CASE("step 6: a JSON array or scalar body is a contract violation at the root") {
  RunningServer mock;
  for (const std::string body : {"[]", "42", "\"text\"", "null"}) {
    const auto result = mock.publish(body);
    check_error_body(result, 400, "CONTRACT_VIOLATION");
    CHECK(std::string(parse(result->body)["violations"][0]["pointer"].GetString()).empty());
  }
}

TEST_CASE("the first failing step answers") {
  RunningServer mock;
  auto client = mock.client();
  // No key and a wrong media type: auth (step 2) comes before media type (step 3).
  check_error_body(client.Post("/api/registries/artifacts", "{", "text/plain"), 401,
                   "UNAUTHORIZED");
  // Wrong media type and malformed JSON: media type answers.
  check_error_body(mock.publish("{", "text/plain"), 415, "UNSUPPORTED_MEDIA_TYPE");
  // Malformed JSON comes before the contract.
  check_error_body(mock.publish("[1,"), 400, "MALFORMED_JSON");
}

TEST_CASE("validation modes: warn lets violations through with a header, off skips validation") {
  const std::string invalid = R"({"registryRef":"acme/prompts","artifact":{"prompt":"p"}})";
  auto config = prm_mock::testing::quiet_config();
  config.validation = prm_mock::ValidationMode::Warn;
  RunningServer warn(config);
  const auto warned = warn.publish(invalid);
  REQUIRE(warned);
  CHECK(warned->status == 200);
  const auto header = parse(warned->get_header_value("X-Mock-Violations"));
  REQUIRE(header.IsArray());
  CHECK(header.Size() >= 7);  // version, model, compiled, hash, schema, components, metadata
  CHECK(std::string(header[0]["keyword"].GetString()) == "required");

  config.validation = prm_mock::ValidationMode::Off;
  RunningServer off(config);
  const auto passed = off.publish(invalid);
  REQUIRE(passed);
  CHECK(passed->status == 200);
  CHECK_FALSE(passed->has_header("X-Mock-Violations"));
  // Syntax is still checked: there is nothing to answer from otherwise.
  check_error_body(off.publish("{"), 400, "MALFORMED_JSON");
}

TEST_CASE("advisory rules warn by default and reject under --strict") {
  const std::string loose_version = valid_body_with("/artifact/version", "\"1.2\"");
  RunningServer lenient;
  const auto warned = lenient.publish(loose_version);
  REQUIRE(warned);
  CHECK(warned->status == 200);
  const auto warnings = parse(warned->get_header_value("X-Mock-Warnings"));
  REQUIRE(warnings.IsArray());
  REQUIRE(warnings.Size() == 1);
  CHECK(std::string(warnings[0]["pointer"].GetString()) == "/artifact/version");

  auto config = prm_mock::testing::quiet_config();
  config.strict_advisory = true;
  RunningServer strict(config);
  const auto rejected = strict.publish(loose_version);
  check_error_body(rejected, 400, "ADVISORY_RULE_VIOLATION");
  CHECK(std::string(parse(rejected->body)["violations"][0]["pointer"].GetString()) ==
        "/artifact/version");
  CHECK(strict.publish(kValidBody)->status == 200);
}

TEST_CASE("--base-path moves the route") {
  auto config = prm_mock::testing::quiet_config();
  config.base_path = "/v2";
  RunningServer mock(config);
  auto client = mock.client();
  CHECK(client.Post("/v2/registries/artifacts", mock.key_headers(), kValidBody, "application/json")
            ->status == 200);
  check_error_body(
      client.Post("/api/registries/artifacts", mock.key_headers(), kValidBody, "application/json"),
      404, "ROUTE_NOT_FOUND");
}

TEST_CASE("admin health answers") {
  RunningServer mock;
  const auto result = mock.client().Get("/__admin/health");
  REQUIRE(result);
  CHECK(result->status == 200);
  const auto body = parse(result->body);
  CHECK(std::string(body["status"].GetString()) == "ok");
  CHECK(std::string(body["serves"].GetString()) == "POST /api/registries/artifacts");
}

TEST_CASE("--contract: the schema is derived from the document given, not a built-in copy") {
  // The published document with 'hash' taken out of the artifact's required list.
  std::ifstream published(std::string(PRM_MOCK_SOURCE_DIR) +
                          "/schemas/prm-registry-publish.openapi.yaml");
  std::string text((std::istreambuf_iterator<char>(published)), std::istreambuf_iterator<char>());
  const std::string required_hash = "        - compiled\n        - hash\n";
  REQUIRE(text.find(required_hash) != std::string::npos);
  text.replace(text.find(required_hash), required_hash.size(), "        - compiled\n");
  const auto path = std::filesystem::temp_directory_path() /
                    ("prm-mock-contract-" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(path) << text;

  auto body = parse(kValidBody);
  body["artifact"].RemoveMember("hash");
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  body.Accept(writer);
  const std::string without_hash = buffer.GetString();

  RunningServer embedded;
  CHECK(embedded.publish(without_hash)->status == 400);
  auto config = prm_mock::testing::quiet_config();
  config.contract_file = path.string();
  RunningServer modified(config);
  CHECK(modified.publish(without_hash)->status == 200);
  // The admin API shows the document in use: its artifact no longer requires 'hash'.
  const auto served = parse(modified.client().Get("/__admin/contract")->body);
  const auto& required =
      served["components"]["schemas"]
            ["RegistriesArtifactsPostRequestBodyContentApplicationJsonSchemaArtifact"]["required"];
  REQUIRE(required.IsArray());
  CHECK(required.Size() == 7);
  for (const auto& name : required.GetArray()) CHECK(std::string(name.GetString()) != "hash");
  std::filesystem::remove(path);
}
