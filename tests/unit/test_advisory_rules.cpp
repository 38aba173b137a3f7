#include <doctest/doctest.h>
#include <rapidjson/pointer.h>

#include <iterator>
#include <random>
#include <regex>
#include <string>

#include "publish/advisory_rules.hpp"

namespace {

using prm_mock::check_advisory_rules;
using prm_mock::Violations;

rapidjson::Document body_with(const char* registry_ref, const char* prompt, const char* version,
                              const char* hash) {
  rapidjson::Document body(rapidjson::kObjectType);
  auto& allocator = body.GetAllocator();
  rapidjson::Value artifact(rapidjson::kObjectType);
  artifact.AddMember("prompt", rapidjson::Value(prompt, allocator), allocator);
  artifact.AddMember("version", rapidjson::Value(version, allocator), allocator);
  artifact.AddMember("hash", rapidjson::Value(hash, allocator), allocator);
  body.AddMember("registryRef", rapidjson::Value(registry_ref, allocator), allocator);
  body.AddMember("artifact", artifact, allocator);
  return body;
}

constexpr const char* kSha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

rapidjson::Document good_body() {
  return body_with("acme/prompts", "greet.v2_x-y", "1.2.3", kSha256);
}

const prm_mock::Violation* finding_at(const Violations& findings, const std::string& pointer) {
  for (const auto& finding : findings) {
    if (finding.pointer == pointer) return &finding;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("advisory rules: a well-formed body has no findings") {
  CHECK(check_advisory_rules(good_body()).empty());
  CHECK(check_advisory_rules(body_with("a/b", "p", "0.0.10", kSha256)).empty());
}

TEST_CASE("advisory rules: version must look like MAJOR.MINOR.PATCH") {
  for (const char* version : {"1.2", "v1.2.3", "1.2.3-beta", "1.2.3\n", "", "1..2"}) {
    CAPTURE(version);
    auto body = good_body();
    body["artifact"]["version"].SetString(version, body.GetAllocator());
    const Violations findings = check_advisory_rules(body);
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].location == "body");
    CHECK(findings[0].pointer == "/artifact/version");
    CHECK(findings[0].keyword == "advisory");
  }
  auto body = good_body();
  body["artifact"]["version"].SetString("1.2", body.GetAllocator());
  CHECK(check_advisory_rules(body)[0].message ==
        "version '1.2' should look like MAJOR.MINOR.PATCH (^\\d+\\.\\d+\\.\\d+$)");
  CHECK(check_advisory_rules(body_with("a/b", "p", "10.20.30", kSha256)).empty());
}

TEST_CASE("advisory rules: prompt names use letters, digits, '.', '_' and '-'") {
  for (const char* prompt : {"greet me", "greet/v1", "", "caf\xC3\xA9"}) {
    CAPTURE(prompt);
    const Violations findings = check_advisory_rules(body_with("a/b", prompt, "1.0.0", kSha256));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].pointer == "/artifact/prompt");
    CHECK(findings[0].message.find(std::string("'") + prompt + "'") != std::string::npos);
  }
  CHECK(check_advisory_rules(body_with("a/b", "A.b_c-9", "1.0.0", kSha256)).empty());
}

TEST_CASE("advisory rules: registryRef looks like org/registry") {
  for (const char* ref :
       {"acme", "acme/", "/prompts", "acme//prompts", "acme/prompts/x", "a b/c"}) {
    CAPTURE(ref);
    const Violations findings = check_advisory_rules(body_with(ref, "p", "1.0.0", kSha256));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].pointer == "/registryRef");
    CHECK(findings[0].message.find("org/registry") != std::string::npos);
  }
  CHECK(check_advisory_rules(body_with("my-org.io/reg_1", "p", "1.0.0", kSha256)).empty());
}

TEST_CASE("advisory rules: hash looks like a hex digest") {
  const std::string md5(32, 'a'), sha1(40, 'B'), sha512(128, '0');
  for (const std::string& hash :
       {md5, sha1, std::string(kSha256), sha512, "sha256:" + std::string(kSha256), "md5:" + md5}) {
    CAPTURE(hash);
    CHECK(check_advisory_rules(body_with("a/b", "p", "1.0.0", hash.c_str())).empty());
  }
  for (const std::string& hash :
       {std::string(31, 'a'), std::string(63, 'a'), std::string(65, 'a'), std::string(64, 'g'),
        "sha256:" + std::string(31, 'a'), ":" + std::string(64, 'a'), std::string("not-a-hash")}) {
    CAPTURE(hash);
    const Violations findings = check_advisory_rules(body_with("a/b", "p", "1.0.0", hash.c_str()));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].pointer == "/artifact/hash");
    CHECK(findings[0].message.find("hex digest") != std::string::npos);
  }
}

TEST_CASE("advisory rules: several findings, in pointer order") {
  const Violations findings = check_advisory_rules(body_with("acme", "a b", "1", "xyz"));
  REQUIRE(findings.size() == 4);
  CHECK(findings[0].pointer == "/artifact/hash");
  CHECK(findings[1].pointer == "/artifact/prompt");
  CHECK(findings[2].pointer == "/artifact/version");
  CHECK(findings[3].pointer == "/registryRef");
}

TEST_CASE("advisory rules: absent or non-string values are the contract's business") {
  rapidjson::Document body;
  body.Parse(R"({"registryRef": 7, "artifact": {"version": 1.2, "prompt": null}})");
  CHECK(check_advisory_rules(body).empty());
  body.Parse(R"({"artifact": "x"})");
  CHECK(check_advisory_rules(body).empty());
  body.Parse("[]");
  CHECK(check_advisory_rules(body).empty());
  body.Parse("\"1.2\"");
  CHECK(check_advisory_rules(body).empty());
}

TEST_CASE("advisory rules: long values are cut in the message and never crash the matcher") {
  const std::string huge(2'000'000, '1');
  const Violations findings = check_advisory_rules(body_with("a/b", "p", huge.c_str(), kSha256));
  const auto* finding = finding_at(findings, "/artifact/version");
  REQUIRE(finding != nullptr);
  CHECK(finding->message.size() < 300);
  CHECK(finding->message.find("...") != std::string::npos);
  CHECK(finding->message.find("2000000 bytes") != std::string::npos);
  // A long but valid-looking prompt name is still checked by its pattern.
  const std::string long_name(1000, 'p');
  CHECK(check_advisory_rules(body_with("a/b", long_name.c_str(), "1.0.0", kSha256)).empty());
}

TEST_CASE("advisory rules: each matcher agrees with the pattern its message shows") {
  // The matchers are written out for speed; std::regex, with the documented patterns, is the
  // reference. Random strings over the characters that matter, many near the edge cases
  // (digest lengths, dots, one slash, an algorithm prefix).
  struct Reference {
    const char* pointer;
    std::regex pattern;
  };
  const Reference references[] = {
      {"/artifact/version", std::regex(R"(^\d+\.\d+\.\d+$)")},
      {"/artifact/prompt", std::regex("^[a-zA-Z0-9._-]+$")},
      {"/registryRef", std::regex("^[A-Za-z0-9._-]+/[A-Za-z0-9._-]+$")},
      {"/artifact/hash", std::regex("^([A-Za-z][A-Za-z0-9_-]*:)?([0-9a-fA-F]{32}|[0-9a-fA-F]{40}|"
                                    "[0-9a-fA-F]{64}|[0-9a-fA-F]{128})$")},
  };
  const std::string alphabet = "0123456789abfgAFZ.._-/: \n\xC3";
  std::mt19937 random(20261129);
  const int lengths[] = {0, 1, 2, 3, 5, 7, 31, 32, 33, 40, 64, 65, 71, 128};
  int disagreements = 0;
  int matched[std::size(references)] = {};
  for (int round = 0; round < 4000; ++round) {
    const int length = lengths[random() % std::size(lengths)];
    std::string text;
    // Mostly hex digits or digits and dots, so valid values come up as often as invalid ones.
    const std::string& pool =
        round % 3 == 0 ? alphabet
                       : std::string(round % 3 == 1 ? "0123456789abcdefABCDEF" : "0123456789.");
    for (int i = 0; i < length; ++i) text += pool[random() % pool.size()];
    if (round % 5 == 0) text = "sha256:" + text;
    if (round % 7 == 0 && text.size() > 2) text[text.size() / 2] = '/';
    for (std::size_t which = 0; which < std::size(references); ++which) {
      const Reference& reference = references[which];
      auto body = good_body();
      rapidjson::Value* value = rapidjson::Pointer(reference.pointer).Get(body);
      REQUIRE(value != nullptr);
      value->SetString(text.c_str(), static_cast<rapidjson::SizeType>(text.size()),
                       body.GetAllocator());
      const bool flagged = finding_at(check_advisory_rules(body), reference.pointer) != nullptr;
      const bool matches = std::regex_match(text, reference.pattern);
      matched[which] += matches ? 1 : 0;
      if (flagged == matches) {
        ++disagreements;
        CAPTURE(text);
        CAPTURE(reference.pointer);
        CHECK(flagged != matches);
      }
    }
  }
  CHECK(disagreements == 0);
  // The comparison means something only if both answers came up for every pattern.
  for (const int count : matched) {
    CHECK(count > 20);
    CHECK(count < 3980);
  }
}
