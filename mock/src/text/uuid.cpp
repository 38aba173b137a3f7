#include "text/uuid.hpp"

#include <cstdint>
#include <random>

namespace prm_mock {

std::string new_uuid_v4() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  const std::uint64_t high = generator();
  return uuid_v4_from_bits(high, generator());
}

std::string uuid_v4_from_bits(std::uint64_t high, std::uint64_t low) {
  high = (high & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  low = (low & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;    // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text(36, '-');
  int position = 0;
  auto put = [&](std::uint64_t bits, int nibbles) {
    for (int shift = (nibbles - 1) * 4; shift >= 0; shift -= 4) {
      if (position == 8 || position == 13 || position == 18 || position == 23) ++position;
      text[position++] = kHex[(bits >> shift) & 0xf];
    }
  };
  put(high, 16);
  put(low, 16);
  return text;
}

}  // namespace prm_mock
