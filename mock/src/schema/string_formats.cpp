#include "schema/string_formats.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <string>

#include "schema/code_point_regex.hpp"

namespace prm_mock {
namespace {

bool is_decimal_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_hex_digit(char c) {
  return is_decimal_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// The value of `count` decimal digits at `at`, or -1 when they are not all digits.
int digits_at(std::string_view text, std::size_t at, std::size_t count) {
  if (at + count > text.size()) return -1;
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (!is_decimal_digit(text[i])) return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

bool is_leap_year(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap_year(year) ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

// RFC 3339 full-date: YYYY-MM-DD, a day that exists.
bool is_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  const int year = digits_at(text, 0, 4);
  const int month = digits_at(text, 5, 2);
  const int day = digits_at(text, 8, 2);
  return year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= days_in_month(year, month);
}

// RFC 3339 full-time: HH:MM:SS[.frac](Z|+HH:MM|-HH:MM). Second 60 (a leap second) only where it
// falls on 23:59 UTC.
bool is_time(std::string_view text) {
  if (text.size() < 9 || text[2] != ':' || text[5] != ':') return false;
  const int hour = digits_at(text, 0, 2);
  const int minute = digits_at(text, 3, 2);
  const int second = digits_at(text, 6, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
    return false;
  }
  std::size_t at = 8;
  if (at < text.size() && text[at] == '.') {
    const std::size_t first = ++at;
    while (at < text.size() && is_decimal_digit(text[at])) ++at;
    if (at == first) return false;
  }
  if (at >= text.size()) return false;
  int offset_minutes = 0;
  if (text[at] == 'Z' || text[at] == 'z') {
    if (at + 1 != text.size()) return false;
  } else if (text[at] == '+' || text[at] == '-') {
    if (at + 6 != text.size() || text[at + 3] != ':') return false;
    const int offset_hour = digits_at(text, at + 1, 2);
    const int offset_minute = digits_at(text, at + 4, 2);
    if (offset_hour < 0 || offset_hour > 23 || offset_minute < 0 || offset_minute > 59) {
      return false;
    }
    offset_minutes = (text[at] == '+' ? 1 : -1) * (offset_hour * 60 + offset_minute);
  } else {
    return false;
  }
  if (second == 60) {
    const int utc_minutes = ((hour * 60 + minute - offset_minutes) % 1440 + 1440) % 1440;
    return utc_minutes == 23 * 60 + 59;
  }
  return true;
}

bool is_date_time(std::string_view text) {
  return text.size() > 11 && (text[10] == 'T' || text[10] == 't') && is_date(text.substr(0, 10)) &&
         is_time(text.substr(11));
}

bool is_uuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash_here = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_here ? text[i] != '-' : !is_hex_digit(text[i])) return false;
  }
  return true;
}

// Dotted quad, each part 0-255 without leading zeros.
bool is_ipv4(std::string_view text) {
  int parts = 0;
  std::size_t at = 0;
  while (true) {
    const std::size_t start = at;
    while (at < text.size() && is_decimal_digit(text[at])) ++at;
    const std::size_t length = at - start;
    if (length == 0 || length > 3 || (length > 1 && text[start] == '0')) return false;
    if (digits_at(text, start, length) > 255) return false;
    if (++parts == 4) return at == text.size();
    if (at >= text.size() || text[at] != '.') return false;
    ++at;
  }
}

bool is_ipv6(std::string_view text) {
  if (text.size() > 45) return false;  // INET6_ADDRSTRLEN - 1
  const std::string terminated(text);
  if (terminated.find('\0') != std::string::npos) return false;
  unsigned char address[16];
  return inet_pton(AF_INET6, terminated.c_str(), address) == 1;
}

// RFC 1123: dot-separated labels of letters, digits and hyphens, 1-63 characters, no hyphen at
// either end; at most 253 characters in all.
bool is_hostname(std::string_view text) {
  if (text.empty() || text.size() > 253) return false;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = std::min(text.find('.', start), text.size());
    const std::string_view label = text.substr(start, dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    if (!std::all_of(label.begin(), label.end(), [](char c) {
          return is_ascii_letter(c) || is_decimal_digit(c) || c == '-';
        })) {
      return false;
    }
    if (dot == text.size()) return true;
    start = dot + 1;
  }
}

bool is_atext(char c) {
  return is_ascii_letter(c) || is_decimal_digit(c) ||
         std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

// RFC 5321 Local-part: a dot-atom, or a quoted string of printable ASCII.
bool is_local_part(std::string_view text) {
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
    for (std::size_t i = 1; i + 1 < text.size(); ++i) {
      const char c = text[i];
      if (c == '\\') {
        if (++i + 1 >= text.size() || text[i] < ' ' || text[i] > '~') return false;
      } else if (c < ' ' || c > '~' || c == '"') {
        return false;
      }
    }
    return true;
  }
  if (text.empty() || text.front() == '.' || text.back() == '.') return false;
  if (text.find("..") != std::string_view::npos) return false;
  return std::all_of(text.begin(), text.end(), [](char c) { return is_atext(c) || c == '.'; });
}

// RFC 5321 Mailbox: Local-part "@" (a domain name or an address literal in brackets).
bool is_email(std::string_view text) {
  const std::size_t at = text.rfind('@');
  if (at == std::string_view::npos || at == 0) return false;
  const std::string_view domain = text.substr(at + 1);
  if (!is_local_part(text.substr(0, at))) return false;
  if (domain.size() > 2 && domain.front() == '[' && domain.back() == ']') {
    const std::string_view literal = domain.substr(1, domain.size() - 2);
    return literal.starts_with("IPv6:") ? is_ipv6(literal.substr(5)) : is_ipv4(literal);
  }
  return is_hostname(domain);
}

bool is_uri_character(char c) {
  return is_ascii_letter(c) || is_decimal_digit(c) ||
         std::string_view("-._~:/?#[]@!$&'()*+,;=").find(c) != std::string_view::npos;
}

// RFC 3986 URI (absolute: a scheme is required): scheme ":" and then only URI characters and
// percent-escapes. The parts after the scheme are not taken apart further.
bool is_uri(std::string_view text) {
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || !is_ascii_letter(text[0])) return false;
  for (std::size_t i = 1; i < colon; ++i) {
    const char c = text[i];
    if (!is_ascii_letter(c) && !is_decimal_digit(c) && c != '+' && c != '-' && c != '.')
      return false;
  }
  for (std::size_t i = colon + 1; i < text.size(); ++i) {
    if (text[i] == '%') {
      if (i + 2 >= text.size() || !is_hex_digit(text[i + 1]) || !is_hex_digit(text[i + 2]))
        return false;
      i += 2;
    } else if (!is_uri_character(text[i])) {
      return false;
    }
  }
  return true;
}

bool is_regex(std::string_view text) {
  try {
    const CodePointRegex compiled(text);
    return true;
  } catch (const RegexProblem&) {
    return false;
  }
}

struct NamedFormat {
  std::string_view name;
  FormatCheck check;
};

constexpr NamedFormat kFormats[] = {
    {"date", is_date},   {"time", is_time}, {"date-time", is_date_time},
    {"email", is_email}, {"uri", is_uri},   {"uuid", is_uuid},
    {"ipv4", is_ipv4},   {"ipv6", is_ipv6}, {"hostname", is_hostname},
    {"regex", is_regex},
};

}  // namespace

FormatCheck format_check(std::string_view name) {
  for (const NamedFormat& format : kFormats) {
    if (format.name == name) return format.check;
  }
  return nullptr;
}

}  // namespace prm_mock
