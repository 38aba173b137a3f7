#include <doctest/doctest.h>

#include <cstdint>

#include "text/whole_number.hpp"

using prm_mock::parse_whole_number;

TEST_CASE("whole number: the whole text must be the number") {
  CHECK(parse_whole_number<std::uint64_t>("0") == 0u);
  CHECK(parse_whole_number<std::uint64_t>("1048576") == 1048576u);
  CHECK(parse_whole_number<long long>("-5") == -5);
  CHECK_FALSE(parse_whole_number<std::uint64_t>(""));
  CHECK_FALSE(parse_whole_number<std::uint64_t>(" 1"));
  CHECK_FALSE(parse_whole_number<std::uint64_t>("1 "));
  CHECK_FALSE(parse_whole_number<std::uint64_t>("+1"));
  CHECK_FALSE(parse_whole_number<std::uint64_t>("12abc"));
  CHECK_FALSE(parse_whole_number<std::uint64_t>("-1"));
}

TEST_CASE("whole number: a value past the type's range is not a number") {
  CHECK_FALSE(parse_whole_number<std::uint64_t>("18446744073709551616"));
  CHECK(parse_whole_number<std::uint64_t>("18446744073709551615") == UINT64_MAX);
  CHECK_FALSE(parse_whole_number<int>("2147483648"));
}
