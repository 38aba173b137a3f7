// Prefer (Prism's convention): code=NNN and example=NAME force a response; naming nothing known is
// an error that lists what exists, never a silent default.
#include <doctest/doctest.h>

#include <string>

#include "contract/contract.hpp"
#include "embedded_contract.hpp"
#include "stubs/fixture_compiler.hpp"
#include "stubs/fixture_set.hpp"
#include "stubs/prefer_header.hpp"

using namespace prm_mock;

namespace {

using prm_mock::testing::contract;

std::shared_ptr<const Fixture> prefer_fixture(const std::string& name, int status, int priority,
                                              const std::string& when = "{}") {
  FixtureProblems problems;
  auto compiled = compile_fixture(
      R"({"name": ")" + name + R"(", "priority": )" + std::to_string(priority) + R"(, "when": )" +
          when + R"(, "response": {"status": )" + std::to_string(status) + "}}",
      "t.json", contract(), problems);
  REQUIRE(compiled != nullptr);
  return compiled;
}

const FixtureSet& set() {
  static const FixtureSet fixtures({
      prefer_fixture("ok", 200, 0),
      prefer_fixture("slow-down", 429, 5, R"({"headers": {"X-Client": {"equals": "b"}}})"),
      prefer_fixture("slow-down-a", 429, 1, R"({"headers": {"X-Client": {"equals": "a"}}})"),
      prefer_fixture("teapot-never-matches", 418, 0,
                     R"({"body": {"/registryRef": {"equals": "none/none"}}})"),
  });
  return fixtures;
}

Selection select_with(const httplib::Headers& headers) {
  static const rapidjson::Document body = [] {
    rapidjson::Document document;
    document.Parse(R"({"registryRef": "acme/prompts"})");
    return document;
  }();
  return set().select({headers, body, "r"});
}

}  // namespace

TEST_CASE("Prefer header: code and example, with other preferences, quotes and case ignored") {
  const auto preference = read_response_preference(
      {{"prefer", "respond-async, Code=429"}, {"Prefer", "example=\"slow-down\"; wait=5"}});
  CHECK(preference.code == "429");
  CHECK(preference.example == "slow-down");
  CHECK_FALSE(read_response_preference({{"Prefer", "return=minimal"}}).any());
  CHECK_FALSE(read_response_preference({}).any());
}

TEST_CASE("Prefer: code picks the best fixture with that status, matching ones first") {
  CHECK(select_with({{"Prefer", "code=429"}}).fixture->name == "slow-down");
  CHECK(select_with({{"Prefer", "code=429"}, {"X-Client", "a"}}).fixture->name == "slow-down-a");
  // Forcing ignores conditions when no fixture with that status matches.
  CHECK(select_with({{"Prefer", "code=418"}}).fixture->name == "teapot-never-matches");
  CHECK(select_with({{"Prefer", "code=200"}, {"X-Client", "b"}}).fixture->name == "ok");
  CHECK(select_with({{"X-Client", "b"}}).fixture->name == "slow-down");  // without Prefer
}

TEST_CASE("Prefer: example picks by name regardless of conditions; with code, both must agree") {
  CHECK(select_with({{"Prefer", "example=slow-down-a"}}).fixture->name == "slow-down-a");
  CHECK(select_with({{"Prefer", "example=ok, code=200"}}).fixture->name == "ok");
  const Selection mismatch = select_with({{"Prefer", "example=ok, code=429"}});
  CHECK(mismatch.outcome == SelectionOutcome::UnknownPreference);
  CHECK(mismatch.message == "Prefer: example=ok answers 200, not the preferred code 429");
}

TEST_CASE("Prefer: naming nothing known is an error listing the known codes or names") {
  const Selection code = select_with({{"Prefer", "code=503"}});
  CHECK(code.outcome == SelectionOutcome::UnknownPreference);
  CHECK(code.fixture == nullptr);
  CHECK(code.message == "Prefer: code=503 matches no fixture; known codes: 200, 418, 429");
  const Selection example = select_with({{"Prefer", "example=nope"}});
  CHECK(example.outcome == SelectionOutcome::UnknownPreference);
  CHECK(example.message ==
        "Prefer: example=nope names no fixture; known examples: ok, slow-down, slow-down-a, "
        "teapot-never-matches");
  const Selection malformed = select_with({{"Prefer", "code=4xx"}});
  CHECK(malformed.outcome == SelectionOutcome::UnknownPreference);
  CHECK(malformed.message ==
        "Prefer: code=4xx is not a 3-digit status; known codes: 200, 418, 429");
}

TEST_CASE("fixture set: admin edits copy the set, add/replace by name and remove") {
  const auto edited = set().with(prefer_fixture("ok", 201, 0));
  CHECK(edited->size() == set().size());
  CHECK(edited->find("ok")->response().status == 201);
  CHECK(set().find("ok")->response().status == 200);  // the original is immutable
  const auto smaller = edited->without("slow-down");
  CHECK(smaller->size() == set().size() - 1);
  CHECK(smaller->find("slow-down") == nullptr);
}
