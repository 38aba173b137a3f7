#include "publish/advisory_rules.hpp"

#include <algorithm>
#include <string>
#include <string_view>

namespace prm_mock {
namespace {

// These run on every publish, so they are written out instead of std::regex: libstdc++'s regex
// engine cost about 18,000 instructions per request for these four (callgrind), and recurses
// once per character. Each comment gives the pattern the function implements.
constexpr std::size_t kMaxShownLength = 64;

bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_hex_digit(char c) {
  return is_ascii_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool is_name_char(char c) {
  return is_ascii_letter(c) || is_ascii_digit(c) || c == '.' || c == '_' || c == '-';
}

bool is_name(std::string_view text) {  // ^[A-Za-z0-9._-]+$
  return !text.empty() && std::all_of(text.begin(), text.end(), is_name_char);
}

bool is_semver(std::string_view text) {  // ^\d+\.\d+\.\d+$
  for (int part = 0; part < 3; ++part) {
    if (part > 0) {
      if (text.empty() || text.front() != '.') return false;
      text.remove_prefix(1);
    }
    const auto digits = std::find_if_not(text.begin(), text.end(), is_ascii_digit) - text.begin();
    if (digits == 0) return false;
    text.remove_prefix(static_cast<std::size_t>(digits));
  }
  return text.empty();
}

bool is_registry_ref(std::string_view text) {  // ^[A-Za-z0-9._-]+/[A-Za-z0-9._-]+$
  const std::size_t slash = text.find('/');
  return slash != std::string_view::npos && is_name(text.substr(0, slash)) &&
         is_name(text.substr(slash + 1));
}

// The hash algorithm is not documented: accept the usual digest lengths (MD5, SHA-1, SHA-256,
// SHA-512), optionally tagged "algo:".
// ^([A-Za-z][A-Za-z0-9_-]*:)?([0-9a-fA-F]{32}|[0-9a-fA-F]{40}|[0-9a-fA-F]{64}|[0-9a-fA-F]{128})$
bool is_hex_digest(std::string_view text) {
  if (const std::size_t colon = text.find(':'); colon != std::string_view::npos) {
    const std::string_view algorithm = text.substr(0, colon);
    const bool good_algorithm =
        !algorithm.empty() && is_ascii_letter(algorithm.front()) &&
        std::all_of(algorithm.begin(), algorithm.end(), [](char c) {
          return is_ascii_letter(c) || is_ascii_digit(c) || c == '_' || c == '-';
        });
    if (!good_algorithm) return false;
    text.remove_prefix(colon + 1);
  }
  const std::size_t length = text.size();
  return (length == 32 || length == 40 || length == 64 || length == 128) &&
         std::all_of(text.begin(), text.end(), is_hex_digit);
}

struct Rule {
  std::string_view pointer;  // where the value lives in the body
  std::string_view name;     // how the message calls the value
  bool (*is_good)(std::string_view);
  std::string_view expectation;
};

const rapidjson::Value* string_at(const rapidjson::Value& body, std::string_view pointer) {
  const rapidjson::Value* current = &body;
  std::size_t start = 1;  // every rule pointer starts with '/' and has no escaped characters
  while (start <= pointer.size()) {
    const std::size_t slash = std::min(pointer.find('/', start), pointer.size());
    const std::string_view name = pointer.substr(start, slash - start);
    if (!current->IsObject()) return nullptr;
    const auto member = current->FindMember(rapidjson::Value(
        rapidjson::StringRef(name.data(), static_cast<rapidjson::SizeType>(name.size()))));
    if (member == current->MemberEnd()) return nullptr;
    current = &member->value;
    start = slash + 1;
  }
  return current->IsString() ? current : nullptr;
}

// The value as the message shows it: quoted, and cut (on a UTF-8 boundary) when long.
std::string shown(std::string_view value) {
  if (value.size() <= kMaxShownLength) return "'" + std::string(value) + "'";
  std::size_t cut = kMaxShownLength;
  while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
  return "'" + std::string(value.substr(0, cut)) + "...' (" + std::to_string(value.size()) +
         " bytes)";
}

}  // namespace

Violations check_advisory_rules(const rapidjson::Value& body) {
  // Sorted by pointer, like contract violations.
  const Rule rules[] = {
      {"/artifact/hash", "hash", is_hex_digest,
       "should look like a hex digest: an optional algorithm prefix such as 'sha256:', then 32, "
       "40, "
       "64 or 128 hex digits"},
      {"/artifact/prompt", "prompt name", is_name,
       "should use only letters, digits, '.', '_' and '-' (^[a-zA-Z0-9._-]+$)"},
      {"/artifact/version", "version", is_semver,
       "should look like MAJOR.MINOR.PATCH (^\\d+\\.\\d+\\.\\d+$)"},
      {"/registryRef", "registryRef", is_registry_ref,
       "should look like org/registry: two names of letters, digits, '.', '_' or '-' joined by "
       "one '/'"},
  };
  Violations findings;
  for (const Rule& rule : rules) {
    const rapidjson::Value* value = string_at(body, rule.pointer);
    if (value == nullptr) continue;
    const std::string_view text(value->GetString(), value->GetStringLength());
    if (rule.is_good(text)) continue;
    findings.push_back(
        {"body", std::string(rule.pointer), "advisory",
         std::string(rule.name) + " " + shown(text) + " " + std::string(rule.expectation)});
  }
  return findings;
}

}  // namespace prm_mock
