#include "advisory_rules.hpp"

#include <algorithm>
#include <regex>
#include <string>
#include <string_view>

namespace prm_mock {
namespace {

// libstdc++'s regex engine recurses once per character, so a hostile multi-megabyte string could
// overflow the stack. No value that satisfies these rules comes near this length, so longer values
// are reported without running the pattern.
constexpr std::size_t kMaxCheckedLength = 1024;
constexpr std::size_t kMaxShownLength = 64;

struct Rule {
  std::string_view pointer;   // where the value lives in the body
  std::string_view name;      // how the message calls the value
  const std::regex& pattern;  // what a good value matches
  std::string_view expectation;
};

const std::regex& semver() {
  static const std::regex pattern(R"(^\d+\.\d+\.\d+$)");
  return pattern;
}
const std::regex& prompt_name() {
  static const std::regex pattern("^[a-zA-Z0-9._-]+$");
  return pattern;
}
const std::regex& registry_ref() {
  static const std::regex pattern("^[A-Za-z0-9._-]+/[A-Za-z0-9._-]+$");
  return pattern;
}
const std::regex& hex_digest() {
  // The hash algorithm is not documented: accept the usual digest lengths (MD5, SHA-1, SHA-256,
  // SHA-512), optionally tagged "algo:".
  static const std::regex pattern(
      "^([A-Za-z][A-Za-z0-9_-]*:)?([0-9a-fA-F]{32}|[0-9a-fA-F]{40}|[0-9a-fA-F]{64}|"
      "[0-9a-fA-F]{128})$");
  return pattern;
}

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
      {"/artifact/hash", "hash", hex_digest(),
       "should look like a hex digest: an optional algorithm prefix such as 'sha256:', then 32, "
       "40, "
       "64 or 128 hex digits"},
      {"/artifact/prompt", "prompt name", prompt_name(),
       "should use only letters, digits, '.', '_' and '-' (^[a-zA-Z0-9._-]+$)"},
      {"/artifact/version", "version", semver(),
       "should look like MAJOR.MINOR.PATCH (^\\d+\\.\\d+\\.\\d+$)"},
      {"/registryRef", "registryRef", registry_ref(),
       "should look like org/registry: two names of letters, digits, '.', '_' or '-' joined by "
       "one '/'"},
  };
  Violations findings;
  for (const Rule& rule : rules) {
    const rapidjson::Value* value = string_at(body, rule.pointer);
    if (value == nullptr) continue;
    const std::string_view text(value->GetString(), value->GetStringLength());
    const bool good = text.size() <= kMaxCheckedLength &&
                      std::regex_match(text.begin(), text.end(), rule.pattern);
    if (good) continue;
    findings.push_back(
        {"body", std::string(rule.pointer), "advisory",
         std::string(rule.name) + " " + shown(text) + " " + std::string(rule.expectation)});
  }
  return findings;
}

}  // namespace prm_mock
