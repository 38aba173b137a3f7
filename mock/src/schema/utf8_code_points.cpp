#include "schema/utf8_code_points.hpp"

#include <climits>

namespace prm_mock {

static_assert(sizeof(wchar_t) * CHAR_BIT >= 32, "code points need a 32-bit wchar_t");

std::size_t count_code_points(std::string_view utf8) {
  std::size_t count = 0;
  for (const char byte : utf8) count += (static_cast<unsigned char>(byte) & 0xC0) != 0x80;
  return count;
}

std::wstring to_code_points(std::string_view utf8) {
  constexpr wchar_t kReplacement = 0xFFFD;
  std::wstring result;
  result.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) {
    const auto lead = static_cast<unsigned char>(utf8[i]);
    std::size_t length = 0;
    char32_t code = 0;
    if (lead < 0x80) {
      length = 1;
      code = lead;
    } else if ((lead & 0xE0) == 0xC0) {
      length = 2;
      code = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      code = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      code = lead & 0x07;
    }
    bool valid = length > 0 && i + length <= utf8.size();
    for (std::size_t k = 1; valid && k < length; ++k) {
      const auto next = static_cast<unsigned char>(utf8[i + k]);
      valid = (next & 0xC0) == 0x80;
      code = (code << 6) | (next & 0x3F);
    }
    if (!valid) {
      result.push_back(kReplacement);
      ++i;
      continue;
    }
    result.push_back(static_cast<wchar_t>(code));
    i += length;
  }
  return result;
}

}  // namespace prm_mock
