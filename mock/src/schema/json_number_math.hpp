#pragma once
// JSON Schema compares numbers by their mathematical value: 5.0 and 1E1 are integers, and
// `multipleOf: 0.01` accepts 123.45 although no binary double is a multiple of another here.
#include <rapidjson/document.h>

namespace prm_mock {

// Whether a JSON number has an integral value (5, 5.0, 1E1, -0.0).
bool has_integral_value(const rapidjson::Value& number);

// <0, 0 or >0 as `a` is less than, equal to or greater than `b` (both numbers). Integers are
// compared exactly, anything else as doubles.
int compare_numbers(const rapidjson::Value& a, const rapidjson::Value& b);

// Whether `number` is an integer multiple of `divisor` (> 0), in exact decimal arithmetic: each
// double is taken as the shortest decimal that reads back as it, which is the literal as written
// in the JSON for up to 15 significant digits.
bool is_multiple_of(const rapidjson::Value& number, const rapidjson::Value& divisor);

}  // namespace prm_mock
