#include "schema/json_number_math.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>

namespace prm_mock {
namespace {

// __extension__: -Wpedantic would otherwise reject the GCC/Clang 128-bit integer.
__extension__ typedef unsigned __int128 Wide;
__extension__ typedef __int128 SignedWide;

// |value| = digits * 10^exponent.
struct Decimal {
  std::uint64_t digits = 0;
  int exponent = 0;
};

bool is_exact_integer(const rapidjson::Value& number) {
  return !number.IsDouble() && (number.IsInt64() || number.IsUint64());
}

SignedWide exact_integer(const rapidjson::Value& number) {
  return number.IsUint64() ? static_cast<SignedWide>(number.GetUint64())
                           : static_cast<SignedWide>(number.GetInt64());
}

Decimal magnitude_of(const rapidjson::Value& number) {
  if (is_exact_integer(number)) {
    const SignedWide value = exact_integer(number);
    return {static_cast<std::uint64_t>(value < 0 ? -value : value), 0};
  }
  // Shortest round-trip form, always scientific: "1.2345e+02".
  char text[64];
  const auto written = std::to_chars(text, text + sizeof(text), std::fabs(number.GetDouble()),
                                     std::chars_format::scientific);
  Decimal decimal;
  int fraction_digits = 0;
  bool in_fraction = false;
  const char* cursor = text;
  for (; cursor != written.ptr && *cursor != 'e'; ++cursor) {
    if (*cursor == '.') {
      in_fraction = true;
      continue;
    }
    decimal.digits = decimal.digits * 10 + static_cast<std::uint64_t>(*cursor - '0');
    fraction_digits += in_fraction;
  }
  int exponent = 0;
  if (cursor != written.ptr) {
    const char* start = cursor + 1;
    if (*start == '+') ++start;
    std::from_chars(start, written.ptr, exponent);
  }
  decimal.exponent = exponent - fraction_digits;
  return decimal;
}

Wide power_of_ten_modulo(int exponent, Wide modulus) {
  Wide result = 1 % modulus;
  Wide base = 10 % modulus;
  for (unsigned remaining = static_cast<unsigned>(exponent); remaining > 0; remaining >>= 1) {
    if ((remaining & 1) != 0) result = result * base % modulus;
    base = base * base % modulus;
  }
  return result;
}

}  // namespace

bool has_integral_value(const rapidjson::Value& number) {
  if (!number.IsNumber()) return false;
  if (!number.IsDouble()) return true;
  const double value = number.GetDouble();
  return std::isfinite(value) && std::floor(value) == value;
}

int compare_numbers(const rapidjson::Value& a, const rapidjson::Value& b) {
  if (is_exact_integer(a) && is_exact_integer(b)) {
    const SignedWide x = exact_integer(a);
    const SignedWide y = exact_integer(b);
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  const double x = a.GetDouble();
  const double y = b.GetDouble();
  return x < y ? -1 : (x > y ? 1 : 0);
}

bool is_multiple_of(const rapidjson::Value& number, const rapidjson::Value& divisor) {
  const Decimal value = magnitude_of(number);
  const Decimal step = magnitude_of(divisor);
  if (value.digits == 0) return true;
  if (step.digits == 0) return false;
  // value / step is an integer iff value.digits * 10^(value.exponent - step.exponent) is a
  // multiple of step.digits (the difference of exponents moved to whichever side it is positive).
  const int shift = value.exponent - step.exponent;
  if (shift >= 0) {
    const Wide modulus = step.digits;
    return static_cast<Wide>(value.digits) % modulus * power_of_ten_modulo(shift, modulus) %
               modulus ==
           0;
  }
  // The step, scaled, must divide the digits: it cannot once it exceeds 10^19 > 2^64 > digits.
  if (-shift > 19) return false;
  Wide scaled_step = step.digits;
  for (int i = 0; i < -shift; ++i) scaled_step *= 10;
  return static_cast<Wide>(value.digits) % scaled_step == 0;
}

}  // namespace prm_mock
