// The violations array shared by error bodies and the validate report.
#include <doctest/doctest.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "diagnostics/violation_json.hpp"

namespace {

std::string violations_json(const prm_mock::Violations& violations) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  prm_mock::write_violations(writer, violations);
  return buffer.GetString();
}

}  // namespace

TEST_CASE("violation json: an empty list is an empty array") { CHECK(violations_json({}) == "[]"); }

TEST_CASE("violation json: members in a fixed order, strings escaped") {
  const prm_mock::Violations violations{
      {"body", "/artifact/hash", "required", "missing required property 'hash'"},
      {"header", "Content-Type", "media", "say \"json\"\n\xC3\xA9"},
  };
  CHECK(violations_json(violations) ==
        R"([{"location":"body","pointer":"/artifact/hash","keyword":"required",)"
        R"("message":"missing required property 'hash'"},)"
        R"({"location":"header","pointer":"Content-Type","keyword":"media",)"
        "\"message\":\"say \\\"json\\\"\\n\xC3\xA9\"}]");
}

TEST_CASE("violation json: a pointer to the whole body is an empty string") {
  CHECK(violations_json({{"body", "", "type", "expected object, found array"}}) ==
        R"([{"location":"body","pointer":"","keyword":"type",)"
        R"("message":"expected object, found array"}])");
}

TEST_CASE("violation json: embedded NUL bytes are kept, not truncated") {
  const std::string message("a\0b", 3);
  CHECK(violations_json({{"body", "/x", "k", message}}).find(R"("message":"a\u0000b")") !=
        std::string::npos);
}

TEST_CASE("violation json: written at the writer's position inside a larger document") {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("violations");
  prm_mock::write_violations(writer, {{"body", "/a", "type", "m"}});
  writer.EndObject();
  CHECK(writer.IsComplete());
  CHECK(std::string(buffer.GetString()) ==
        R"({"violations":[{"location":"body","pointer":"/a","keyword":"type","message":"m"}]})");
}
