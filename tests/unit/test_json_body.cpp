#include <doctest/doctest.h>

#include <string>

#include "publish/json_body.hpp"

namespace {

using prm_mock::JsonParseError;
using prm_mock::parse_json_body;

constexpr std::size_t kDefaultDepth = 256;

JsonParseError expect_error(std::string_view text, std::size_t max_depth = kDefaultDepth) {
  rapidjson::Document document;
  const auto error = parse_json_body(text, document, max_depth);
  REQUIRE(error.has_value());
  return *error;
}

bool parses(std::string_view text, std::size_t max_depth = kDefaultDepth) {
  rapidjson::Document document;
  return !parse_json_body(text, document, max_depth).has_value();
}

std::string nested_arrays(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

}  // namespace

TEST_CASE("json body: a valid object becomes the document") {
  rapidjson::Document document;
  REQUIRE_FALSE(parse_json_body(" {\"a\": [1, \"\\u00e9\", null]}\n", document, kDefaultDepth));
  REQUIRE(document.IsObject());
  CHECK(document["a"].Size() == 3);
  CHECK(std::string(document["a"][1].GetString()) == "\xC3\xA9");
  // Any JSON value parses; whether it is an object is the contract's business.
  CHECK(parses("\"x\""));
  CHECK(parses("[]"));
  CHECK(parses("{\"pair\": \"\\uD83D\\uDE00\"}"));
}

TEST_CASE("json body: empty and whitespace-only bodies") {
  for (const std::string_view text : {"", " \t\r\n"}) {
    const JsonParseError error = expect_error(text);
    CHECK(error.code == "MALFORMED_JSON");
    CHECK(error.message == "empty body: expected a JSON object");
    CHECK(error.offset == 0);
  }
}

TEST_CASE("json body: syntax errors carry the byte offset and RapidJSON's reason") {
  SUBCASE("truncated object") {
    const JsonParseError error = expect_error(R"({"a": 1)");
    CHECK(error.code == "MALFORMED_JSON");
    CHECK(error.offset == 7);
    CHECK(error.message == "invalid JSON at byte 7: missing a comma or '}' after an object member");
  }
  SUBCASE("missing comma between members") {
    CHECK(expect_error(R"({"registryRef": "a/b" "artifact": {}})").offset == 22);
  }
  SUBCASE("trailing garbage points at the garbage, past whitespace") {
    const JsonParseError error = expect_error("{}   x");
    CHECK(error.offset == 5);
    CHECK(error.message.find("must not be followed by other values") != std::string::npos);
  }
  SUBCASE("a second value") { CHECK(expect_error("{} {}").offset == 3); }
  SUBCASE("NaN and Infinity are not JSON") {
    CHECK(expect_error("[NaN]").offset == 1);
    CHECK(expect_error("{\"a\": Infinity}").offset == 6);
  }
  SUBCASE("comments are not JSON") { CHECK(expect_error("{} // note").offset == 3); }
  SUBCASE("single quotes") { CHECK(expect_error("{'a': 1}").offset == 1); }
}

TEST_CASE("json body: invalid UTF-8 and surrogate escapes are malformed at their offset") {
  SUBCASE("bad continuation byte") {
    const JsonParseError error = expect_error("{\"registryRef\": \"\xC3\x28\"}");
    CHECK(error.code == "MALFORMED_JSON");
    CHECK(error.offset == 17);
    CHECK(error.message.find("invalid encoding") != std::string::npos);
  }
  SUBCASE("raw UTF-8-encoded surrogate") { CHECK(expect_error("[\"\xED\xA0\x80\"]").offset == 2); }
  SUBCASE("overlong encoding") { CHECK(expect_error("[\"\xC0\xAF\"]").offset == 2); }
  SUBCASE("lone high surrogate escape") {
    const JsonParseError error = expect_error(R"(["ab\uD800"])");
    CHECK(error.offset == 4);
    CHECK(error.message.find("surrogate") != std::string::npos);
  }
  SUBCASE("lone low surrogate escape (RapidJSON alone would accept it)") {
    const JsonParseError error = expect_error(R"({"k": "ab\uDC00"})");
    CHECK(error.code == "MALFORMED_JSON");
    CHECK(error.offset == 9);
    CHECK(error.message.find("surrogate") != std::string::npos);
  }
  SUBCASE("lone low surrogate after an escaped backslash, in a key") {
    CHECK(expect_error(R"({"\\uDC00\uDFFF": 1})").offset == 9);
  }
}

TEST_CASE("json body: a NUL byte ends nothing") {
  const std::string after_value("{}\0junk", 7);
  CHECK(expect_error(after_value).offset == 2);
  CHECK(expect_error(after_value).message == "invalid JSON at byte 2: unexpected NUL byte");
  const std::string in_string("[\"a\0b\"]", 7);
  CHECK(expect_error(in_string).offset == 3);
  // An earlier syntax error still wins.
  const std::string after_error("[x\0", 3);
  CHECK(expect_error(after_error).offset == 1);
}

TEST_CASE("json body: nesting is bounded without recursion") {
  SUBCASE("100000-deep array") {
    const JsonParseError error = expect_error(std::string(100'000, '['));
    CHECK(error.code == "NESTING_TOO_DEEP");
    CHECK(error.offset == kDefaultDepth);  // the bracket that opens level 257
    CHECK(error.message.find("256") != std::string::npos);
  }
  SUBCASE("100000-deep balanced objects and arrays") {
    std::string deep;
    for (int i = 0; i < 50'000; ++i) deep += "{\"a\":[";
    for (int i = 0; i < 50'000; ++i) deep += "]}";
    CHECK(expect_error(deep).code == "NESTING_TOO_DEEP");
  }
  SUBCASE("exactly at the limit is accepted, one more is not") {
    CHECK(parses(nested_arrays(kDefaultDepth)));
    const JsonParseError error = expect_error(nested_arrays(kDefaultDepth + 1));
    CHECK(error.code == "NESTING_TOO_DEEP");
    CHECK(error.offset == kDefaultDepth);
  }
  SUBCASE("objects count as levels; the offset is the bracket's, after whitespace") {
    CHECK(parses(R"({"a": {"b": {}}})", 3));
    const JsonParseError error = expect_error(R"({"a": {"b": {"c": {}}}})", 3);
    CHECK(error.code == "NESTING_TOO_DEEP");
    CHECK(error.offset == 18);
    CHECK(error.message == "JSON nesting deeper than the limit of 3 levels at byte 18");
  }
}

TEST_CASE("json body: arbitrary bytes never crash") {
  // Every single byte value, and some awkward pairs, through the parser: only the outcome varies.
  for (int byte = 0; byte < 256; ++byte) {
    const std::string one(1, static_cast<char>(byte));
    rapidjson::Document document;
    (void)parse_json_body(one, document, kDefaultDepth);
    (void)parse_json_body("[\"" + one + "\"]", document, kDefaultDepth);
    (void)parse_json_body("{\"\\u" + one + "\"}", document, kDefaultDepth);
  }
  CHECK(parses("[\"\\u0000\"]"));  // an escaped NUL is a legal string character
}
