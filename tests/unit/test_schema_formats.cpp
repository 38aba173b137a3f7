// `format`: asserted on strings by default, never on other types, an unknown one loaded with a
// warning; --formats annotate (ContractOptions::assert_formats = false) asserts none.
#include <doctest/doctest.h>

#include <string>

#include "contract/contract.hpp"
#include "schema_fragment.hpp"

using prm_mock::Contract;
using prm_mock::testing::contract_with_schema;
using prm_mock::testing::Lines;
using prm_mock::testing::violation_lines;

namespace {

Contract contract_with_format(const std::string& format) {
  return contract_with_schema(R"({"type": "object", "properties": {"v": {"format": ")" + format +
                              R"("}}})");
}

}  // namespace

TEST_CASE("formats: a format without a type constrains only strings; never an error or a throw") {
  const Contract when = contract_with_format("date-time");
  for (const char* body : {R"({"v": ["x"]})", R"({"v": {"k": "v"}})", R"({"v": null})",
                           R"({"v": 5})", R"({"v": true})", R"({"v": "2026-02-28T10:00:00Z"})"}) {
    CAPTURE(body);
    CHECK(violation_lines(when, body).empty());
  }
  CHECK(violation_lines(when, R"({"v": "yesterday"})") == Lines{"/v format"});
  CHECK(when.validate(prm_mock::testing::request_body(R"({"v": "yesterday"})"))[0].message ==
        "\"yesterday\" is not a valid date-time");
}

TEST_CASE("formats: each asserted format accepts valid strings and rejects invalid ones") {
  struct Case {
    const char* format;
    const char* valid;
    const char* invalid;
  };
  const Case cases[] = {
      {"date", "2028-02-29", "2026-02-29"},
      {"date", "2026-12-31", "2026-13-01"},
      {"time", "23:59:60Z", "10:00:00"},
      {"time", "08:30:00.25+02:00", "25:00:00Z"},
      {"date-time", "2026-01-01t00:00:00+01:00", "2026-01-01 00:00:00Z"},
      {"date-time", "2016-12-31T23:59:60Z", "2016-12-31T22:59:60Z"},
      {"email", "joe.bloggs@example.com", "joe..bloggs@example.com"},
      {"email", "\\\"j o e\\\"@[127.0.0.1]", "@example.com"},
      {"uri", "https://example.com/a%20b?x=1#f", "/relative/path"},
      {"uri", "urn:isbn:0451450523", "https://exa mple.com"},
      {"uuid", "2eb8aa08-aa98-11ea-b4aa-73b441d16380", "2eb8aa08-aa98-11ea-b4aa-73b441d1638"},
      {"ipv4", "192.168.0.1", "192.168.00.1"},
      {"ipv4", "0.0.0.0", "256.1.1.1"},
      {"ipv6", "::ffff:192.168.0.1", "12345::"},
      {"ipv6", "fe80::1", "fe80::1%eth0"},
      {"hostname", "www.example-1.com", "-bad.example.com"},
      {"hostname", "localhost", "a..b"},
      {"regex", "^[a-z]+$", "(unclosed"},
  };
  for (const Case& test : cases) {
    CAPTURE(test.format);
    CAPTURE(test.valid);
    CAPTURE(test.invalid);
    const Contract contract = contract_with_format(test.format);
    CHECK(contract.warnings().empty());
    CHECK(violation_lines(contract, std::string(R"({"v": ")") + test.valid + "\"}").empty());
    CHECK(violation_lines(contract, std::string(R"({"v": ")") + test.invalid + "\"}") ==
          Lines{"/v format"});
  }
}

TEST_CASE("formats: an unknown format loads with a warning and checks nothing") {
  const Contract contract = contract_with_format("x-credit-card");
  REQUIRE(contract.warnings().size() == 1);
  CHECK(contract.warnings()[0] ==
        "test.yaml: format 'x-credit-card' at '/paths/~1p/post/requestBody/content/"
        "application~1json/schema/properties/v/format' is not one the mock knows; it is not "
        "checked");
  CHECK(violation_lines(contract, R"({"v": "anything"})").empty());
}

TEST_CASE("formats: --formats annotate asserts none") {
  const Contract annotated = contract_with_schema(
      R"({"properties": {"d": {"format": "date"}, "u": {"format": "x-unknown"}}})", "3.1.0", "{}",
      prm_mock::ContractOptions{false});
  CHECK(annotated.warnings().empty());
  CHECK(violation_lines(annotated, R"({"d": "2026-02-29", "u": "x"})").empty());
}
