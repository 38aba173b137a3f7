// What JSON Schema says values mean: integers by value, lengths and patterns in code points (a
// U+0000 counting like any character), multipleOf in exact decimal arithmetic.
#include <doctest/doctest.h>

#include <string>

#include "contract/contract.hpp"
#include "schema_fragment.hpp"

using prm_mock::Contract;
using prm_mock::testing::contract_with_schema;
using prm_mock::testing::Lines;
using prm_mock::testing::request_body;
using prm_mock::testing::violation_lines;

TEST_CASE("values: an integer is a number with an integral value, whatever its spelling") {
  const Contract integer = contract_with_schema(R"({"type": "integer", "minimum": 2})");
  for (const char* body : {"5", "5.0", "1E1", "1e1", "2.0e0", "-0.0e0", "100000000000000000000"}) {
    CAPTURE(body);
    CHECK(violation_lines(integer, body) ==
          (std::string(body) == "-0.0e0" ? Lines{" minimum"} : Lines{}));
  }
  CHECK(violation_lines(integer, "5.5") == Lines{" type"});
  CHECK(integer.validate(request_body("5.5"))[0].message == "expected integer, found number");
  CHECK(violation_lines(integer, "\"5\"") == Lines{" type"});
}

TEST_CASE("values: multipleOf is exact for decimal literals") {
  const Contract cents = contract_with_schema(R"({"multipleOf": 0.01})");
  for (const char* body : {"123.45", "0.07", "19.99", "0", "-4.2", "1e2", "9007199254740.99"}) {
    CAPTURE(body);
    CHECK(violation_lines(cents, body).empty());
  }
  for (const char* body : {"123.456", "0.001", "1e-3"}) {
    CAPTURE(body);
    CHECK(violation_lines(cents, body) == Lines{" multipleOf"});
  }
  CHECK(cents.validate(request_body("0.005"))[0].message == "0.005 is not a multiple of 0.01");
  const Contract tenths = contract_with_schema(R"({"multipleOf": 0.1})");
  CHECK(violation_lines(tenths, "0.3").empty());
  CHECK(violation_lines(tenths, "1e300").empty());
  const Contract threes = contract_with_schema(R"({"multipleOf": 3})");
  CHECK(violation_lines(threes, "9.0").empty());
  CHECK(violation_lines(threes, "18446744073709551615")
            .empty());  // 2^64 - 1 = 3 * 6148914691236517205
  CHECK(violation_lines(threes, "10") == Lines{" multipleOf"});
  CHECK(violation_lines(threes, "4.5") == Lines{" multipleOf"});
  const Contract tiny = contract_with_schema(R"({"multipleOf": 1e-8})");
  CHECK(violation_lines(tiny, "0.00000003").empty());
  CHECK(violation_lines(tiny, "1e-9") == Lines{" multipleOf"});
}

TEST_CASE("values: patterns match code points, and \\s is ECMA-262's white space") {
  const Contract bracketed = contract_with_schema(R"({"pattern": "^[^<>]{1,12}$"})");
  CHECK(violation_lines(bracketed, "\"\u4f60\u597d\u4e16\u754c\u554a\"").empty());
  // Thirteen characters: one too many.
  CHECK(violation_lines(bracketed,
                        "\"\u4f60\u597d\u4e16\u754c\u554a\u4f60\u597d\u4e16"
                        "\u754c\u554a\u4f60\u597d\u4e16\"") == Lines{" pattern"});
  CHECK(violation_lines(bracketed, R"("a<b")") == Lines{" pattern"});
  const Contract no_leading_space = contract_with_schema(R"({"pattern": "^\\S"})");
  CHECK(violation_lines(no_leading_space, R"("x ")").empty());
  CHECK(violation_lines(no_leading_space, R"("\u00a0x")") == Lines{" pattern"});
  CHECK(violation_lines(no_leading_space, R"("\u3000x")") == Lines{" pattern"});
  const Contract one_character = contract_with_schema(R"({"pattern": "^.$"})");
  CHECK(violation_lines(one_character, R"("\u00e9")").empty());
  CHECK(violation_lines(one_character, R"("\ud83d\ude00")").empty());  // one code point, 4 bytes
  // patternProperties names are code points too.
  const Contract keyed =
      contract_with_schema(R"({"patternProperties": {"^.$": {"type": "integer"}}})");
  CHECK(violation_lines(keyed, R"({"\u00e9": "x", "ab": "y"})") == Lines{"/\u00e9 type"});
  // A \S inside a class cannot be matched as ECMA-262 means it: refused, not approximated.
  CHECK_THROWS_WITH_AS(contract_with_schema(R"({"pattern": "[\\S]"})"),
                       doctest::Contains("is not supported: \\S inside a character class"),
                       prm_mock::ContractError);
}

TEST_CASE("values: a long value is matched without deep recursion") {
  const Contract bracketed = contract_with_schema(R"({"pattern": "^[^<>]*$"})");
  CHECK(violation_lines(bracketed, "\"" + std::string(300000, 'a') + "\"").empty());
}

TEST_CASE("values: lengths count code points, a U+0000 included") {
  const Contract bounded = contract_with_schema(R"({"minLength": 3, "maxLength": 4})");
  CHECK(violation_lines(bounded, R"("a\u0000b")").empty());
  CHECK(violation_lines(bounded, R"("\u65e5\u672c\u8a9e")").empty());
  CHECK(violation_lines(bounded, R"("a\u0000")") == Lines{" minLength"});
  CHECK(violation_lines(bounded, R"("a\u0000bcd")") == Lines{" maxLength"});
  const Contract short_names = contract_with_schema(R"({"propertyNames": {"maxLength": 2}})");
  CHECK(violation_lines(short_names, R"({"ab": 1})").empty());
  CHECK(violation_lines(short_names, R"({"a\u0000bcd": 1})") ==
        Lines{std::string("/a\0bcd propertyNames", 20)});
}
