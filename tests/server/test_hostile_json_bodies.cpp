// Hostile JSON bodies against the in-process server: every class of malformed JSON,
// hostile nesting and size, each answered precisely, journaled, and followed by a normal publish
// that must still succeed on a fresh connection.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "hostile_checks.hpp"
#include "test_server.hpp"

using prm_mock::testing::check_still_serving;
using prm_mock::testing::journal_entries;
using prm_mock::testing::journal_total;
using prm_mock::testing::kValidBody;
using prm_mock::testing::parse;
using prm_mock::testing::RunningServer;

namespace {

// kValidBody with `text` spliced in where "metadata":{} holds its empty object, so a case names
// the hostile bytes and where they start.
struct Spliced {
  std::string body;
  std::size_t at;  // offset of `text` in `body`
};
Spliced in_metadata(const std::string& text) {
  const std::string marker = "\"metadata\":{";
  const std::size_t at = kValidBody.find(marker) + marker.size();
  return {kValidBody.substr(0, at) + text + kValidBody.substr(at), at};
}

// The publish answered 400 with `code` at byte `offset`, and the journal kept it with its status.
void check_rejected(const RunningServer& mock, const std::string& body, const char* code,
                    std::size_t offset, time_t read_timeout_seconds = 10) {
  auto client = mock.client();
  client.set_read_timeout(read_timeout_seconds, 0);
  const auto answer =
      client.Post("/api/registries/artifacts", mock.key_headers(), body, "application/json");
  REQUIRE(answer);
  CHECK(answer->status == 400);
  const auto error = parse(answer->body);
  REQUIRE(error.IsObject());
  CHECK(std::string(error["code"].GetString()) == code);
  REQUIRE(error.HasMember("offset"));
  CHECK(error["offset"].GetUint64() == offset);
  CHECK(std::string(error["message"].GetString()).find("byte " + std::to_string(offset)) !=
        std::string::npos);
  const auto newest = journal_entries(mock, 1);
  REQUIRE(newest["requests"].Size() == 1);
  const auto& entry = newest["requests"][0];
  CHECK(std::string(entry["id"].GetString()) == answer->get_header_value("X-Request-Id"));
  CHECK(entry["status"].GetInt() == 400);
  CHECK(entry["body"].IsString());  // the raw text, since it did not parse
}

std::string deep_arrays(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

}  // namespace

TEST_CASE("hostile JSON: every truncation of a valid body is malformed at its end") {
  RunningServer mock;
  for (std::size_t length = 1; length < kValidBody.size(); ++length) {
    CAPTURE(length);
    check_rejected(mock, kValidBody.substr(0, length), "MALFORMED_JSON", length);
  }
  CHECK(journal_total(mock) == kValidBody.size() - 1);
  check_still_serving(mock);
}

TEST_CASE("hostile JSON: trailing content after the object is malformed where it starts") {
  RunningServer mock;
  const std::size_t end = kValidBody.size();
  SUBCASE("a stray character") { check_rejected(mock, kValidBody + "x", "MALFORMED_JSON", end); }
  SUBCASE("a second document after whitespace") {
    check_rejected(mock, kValidBody + " \r\n\t" + kValidBody, "MALFORMED_JSON", end + 4);
  }
  SUBCASE("an extra closing brace") {
    check_rejected(mock, kValidBody + "}", "MALFORMED_JSON", end);
  }
  SUBCASE("a NUL byte and garbage") {
    check_rejected(mock, kValidBody + std::string("\0junk", 5), "MALFORMED_JSON", end);
  }
  check_still_serving(mock);
}

TEST_CASE("hostile JSON: non-JSON numbers and literals are malformed at the token") {
  RunningServer mock;
  struct Case {
    const char* name;
    std::string member;  // spliced into metadata
    std::size_t into;    // where in `member` the error is
  };
  const std::vector<Case> cases = {
      {"NaN", "\"n\":NaN", 4},
      {"Infinity", "\"n\":Infinity", 4},
      {"-Infinity", "\"n\":-Infinity", 5},
      {"a number too big for a double", "\"n\":1e400", 4},
      {"hex", "\"n\":0x10", 5},
      {"leading plus", "\"n\":+1", 4},
      {"single quotes", "'n':1", 0},
      {"a comment", "/* c */\"n\":1", 0},
      {"a trailing comma", "\"n\":1,", 6},
      {"a control character in a string", "\"n\":\"a\x01\"", 6},
      {"an unknown escape", "\"n\":\"\\x41\"", 5},
  };
  for (const Case& hostile : cases) {
    CAPTURE(std::string(hostile.name));
    const Spliced spliced = in_metadata(hostile.member);
    check_rejected(mock, spliced.body, "MALFORMED_JSON", spliced.at + hostile.into);
  }
  CHECK(journal_total(mock) == cases.size());
  // A raw control character is named as such, with the escape to write instead.
  const auto control = mock.publish(in_metadata("\"n\":\"tab\there\"").body);
  REQUIRE(control);
  CHECK(std::string(parse(control->body)["message"].GetString())
            .find("unescaped control character in string (write it as \\u0009)") !=
        std::string::npos);
  check_still_serving(mock);
}

TEST_CASE("hostile JSON: a repeated member name is malformed at its second occurrence") {
  // Parsers disagree on which value of a repeated name counts (RapidJSON, so our validation, sees
  // the first; JavaScript and Python the last): the mock must not validate one value while the real
  // API uses the other.
  RunningServer mock;
  SUBCASE("a required member repeated with a value that breaks the contract") {
    const std::string body =
        R"({"registryRef":"acme/prompts","registryRef":5,)" + kValidBody.substr(30);
    REQUIRE(kValidBody.rfind(R"({"registryRef":"acme/prompts",)", 0) == 0);
    check_rejected(mock, body, "MALFORMED_JSON", 30);
    CHECK(parse(mock.publish(body)->body)["message"].GetString() ==
          std::string("invalid JSON at byte 30: duplicate key \"registryRef\" in an object (JSON "
                      "parsers disagree on which value counts)"));
  }
  SUBCASE("the earliest repeat in the text, even when it is in an inner object") {
    const Spliced spliced = in_metadata(R"("m":{"x":1,"x":2},"m":3)");
    check_rejected(mock, spliced.body, "MALFORMED_JSON", spliced.at + 11);
  }
  SUBCASE("names that differ only by an escape are the same name") {
    const Spliced spliced = in_metadata(R"("k":1,"\u006b":2)");
    check_rejected(mock, spliced.body, "MALFORMED_JSON", spliced.at + 6);
  }
  SUBCASE("a million copies of one key") {
    std::string members = "\"k\":0";
    for (int i = 1; i < 1000000; ++i) members += ",\"k\":0";
    const Spliced spliced = in_metadata(members);
    // A sanitizer build parses a million members slowly: wait for the answer, not a fixed time.
    check_rejected(mock, spliced.body, "MALFORMED_JSON", spliced.at + 6, 300);
  }
  SUBCASE("the same name in different objects is fine") {
    const Spliced spliced = in_metadata(R"("k":{"k":{"k":1}})");
    CHECK(mock.publish(spliced.body)->status == 200);
  }
  check_still_serving(mock);
}

TEST_CASE("hostile JSON: lone surrogate escapes are malformed at the escape") {
  RunningServer mock;
  struct Case {
    const char* name;
    std::string member;
    std::size_t into;
  };
  const std::vector<Case> cases = {
      {"lone high surrogate", R"("n":"\uD800")", 5},
      {"lone low surrogate", R"("n":"\uDC00")", 5},
      {"high surrogate before a non-surrogate", R"("n":"\uD83D\u0041")", 5},
      {"high surrogate at the end of a key", R"("\uDBFF":1)", 1},
      {"reversed pair", R"("n":"ok\uDE00\uD83D")", 7},
  };
  for (const Case& hostile : cases) {
    CAPTURE(std::string(hostile.name));
    const Spliced spliced = in_metadata(hostile.member);
    check_rejected(mock, spliced.body, "MALFORMED_JSON", spliced.at + hostile.into);
  }
  check_still_serving(mock);
}

TEST_CASE("hostile JSON: invalid and overlong UTF-8 is malformed at the first bad byte") {
  RunningServer mock;
  struct Case {
    const char* name;
    std::string bytes;  // inside a string value
    std::size_t into;   // the first byte that is not UTF-8
  };
  const std::vector<Case> cases = {
      {"overlong '/' in two bytes", "\xC0\xAF", 0},
      {"overlong '/' in three bytes", "\xE0\x80\xAF", 0},
      {"overlong '/' in four bytes", "\xF0\x80\x80\xAF", 0},
      {"overlong NUL", "\xC0\x80", 0},
      {"UTF-8-encoded surrogate (CESU-8)", "\xED\xA0\x80", 0},
      {"beyond U+10FFFF", "\xF4\x90\x80\x80", 0},
      {"a lone continuation byte", "ok\x80", 2},
      {"a truncated sequence", "\xE2\x82", 0},
      {"bytes never valid in UTF-8", "\xFE\xFF", 0},
      {"Latin-1 text", "caf\xE9", 3},
  };
  for (const Case& hostile : cases) {
    CAPTURE(std::string(hostile.name));
    std::string body = prm_mock::testing::valid_body_with("/artifact/compiled", "\"PLACE\"");
    const std::size_t at = body.find("PLACE");
    body.replace(at, 5, hostile.bytes);
    check_rejected(mock, body, "MALFORMED_JSON", at + hostile.into);
  }
  // The journal holds each raw body as valid JSON text (invalid bytes replaced), not a broken one.
  const auto entries = journal_entries(mock, cases.size());
  CHECK(entries["requests"].Size() == cases.size());
  check_still_serving(mock);
}

TEST_CASE("hostile JSON: 100,000 levels of nesting get NESTING_TOO_DEEP at the 257th bracket") {
  RunningServer mock;
  constexpr std::size_t kDepth = 100000;
  SUBCASE("arrays as the whole body") {
    check_rejected(mock, deep_arrays(kDepth), "NESTING_TOO_DEEP", 256);
  }
  SUBCASE("arrays, never closed") {
    check_rejected(mock, std::string(kDepth, '['), "NESTING_TOO_DEEP", 256);
  }
  SUBCASE("objects inside metadata") {
    std::string nested;
    for (std::size_t i = 0; i < kDepth; ++i) nested += "\"a\":{";
    nested += std::string(kDepth, '}');
    const Spliced spliced = in_metadata(nested);
    // The body object is level 1, artifact 2, metadata 3: the 257th level opens at the 254th "a".
    check_rejected(mock, spliced.body, "NESTING_TOO_DEEP", spliced.at + 253 * 5 + 4);
  }
  check_still_serving(mock);
}

TEST_CASE("hostile JSON: nesting at the limit is accepted and echoed through the journal") {
  RunningServer mock;
  // metadata is level 3, so 253 more levels inside it make exactly 256.
  const Spliced spliced = in_metadata("\"deep\":" + deep_arrays(253));
  const auto answer = mock.publish(spliced.body);
  REQUIRE(answer);
  CHECK(answer->status == 200);
  const auto newest = journal_entries(mock, 1);
  const auto& metadata = newest["requests"][0]["body"]["artifact"]["metadata"];
  REQUIRE(metadata.IsObject());
  CHECK(metadata["deep"].IsArray());
  check_still_serving(mock);
}
