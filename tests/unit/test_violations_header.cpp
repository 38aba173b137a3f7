#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include "diagnostics/violations_header.hpp"

using prm_mock::Violation;
using prm_mock::violations_header_value;

TEST_CASE("violations header: compact JSON, ASCII only, one line") {
  const std::string value = violations_header_value(
      {{"body", "/artifact/prompt", "type", "expected string, found \"ünïcode\"\n"}});
  for (unsigned char c : value) {
    CHECK(c >= 0x20);
    CHECK(c < 0x7f);
  }
  rapidjson::Document parsed;
  parsed.Parse(value.c_str());
  REQUIRE(parsed.IsArray());
  CHECK(std::string(parsed[0]["message"].GetString()) == "expected string, found \"ünïcode\"\n");
}

TEST_CASE("violations header: bounded, with a count of what was left out") {
  prm_mock::Violations many(
      500, Violation{"body", "/artifact/components/x", "type", "expected string, found number"});
  const std::string value = violations_header_value(many, 1024);
  CHECK(value.size() <= 1024);
  rapidjson::Document parsed;
  parsed.Parse(value.c_str());
  REQUIRE(parsed.IsArray());
  const auto& last = parsed[parsed.Size() - 1];
  REQUIRE(last.HasMember("omitted"));
  CHECK(last["omitted"].GetInt() + static_cast<int>(parsed.Size()) - 1 == 500);
}
