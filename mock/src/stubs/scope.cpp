#include "stubs/scope.hpp"

#include "journal/redaction.hpp"
#include "text/ascii_text.hpp"
#include "text/sha256.hpp"

namespace prm_mock {
namespace {

// 16 hex digits (64 bits) tell a test suite's keys apart with no realistic collision, which the
// journal's short fingerprint cannot promise (two long keys ending alike share it), and a label
// must name exactly one scope since scopes are reset by it. The digest is of a domain-separated
// text, so a label is never a prefix of a plain SHA-256 of the key that other tools may show.
constexpr std::size_t kKeyLabelHexDigits = 16;
constexpr std::string_view kKeyLabelDomain = "prm-mock scope of API key\n";

const std::string* first_header_value(const httplib::Headers& headers, std::string_view name) {
  for (const auto& [header_name, value] : headers) {
    if (equals_ignoring_case(header_name, name)) return &value;
  }
  return nullptr;
}

}  // namespace

ScopeRule ScopeRule::by_header(std::string_view name) { return {Kind::Header, lower_ascii(name)}; }

std::string ScopeRule::label_for(const httplib::Headers& headers) const {
  switch (kind) {
    case Kind::Global:
      return std::string(kGlobalScope);
    case Kind::Header: {
      const std::string* value = first_header_value(headers, header);
      return "header:" + header + (value ? "=" + *value : std::string());
    }
    case Kind::ApiKey:
      break;
  }
  return api_key_scope_label(presented_api_key(headers));
}

std::string ScopeRule::spelling() const {
  switch (kind) {
    case Kind::Global:
      return "global";
    case Kind::Header:
      return "header:" + header;
    case Kind::ApiKey:
      break;
  }
  return "apiKey";
}

std::optional<ScopeRule> parse_scope_rule(std::string_view text, std::string& problem) {
  if (text == "apiKey") return ScopeRule::api_key();
  if (text == "global") return ScopeRule::global();
  constexpr std::string_view kHeaderPrefix = "header:";
  if (text.starts_with(kHeaderPrefix)) {
    const std::string_view name = text.substr(kHeaderPrefix.size());
    if (!is_http_token(name)) {
      problem = "'" + std::string(name) + "' is not a header name";
      return std::nullopt;
    }
    if (is_credential_header(name)) {
      problem = std::string(name) +
                " carries a credential, which a scope label would show; use apiKey to scope by "
                "the API key";
      return std::nullopt;
    }
    return ScopeRule::by_header(name);
  }
  problem = "expected apiKey, global or header:NAME";
  return std::nullopt;
}

std::string_view presented_api_key(const httplib::Headers& headers) {
  if (const std::string* api_key = first_header_value(headers, "X-API-Key")) {
    return trim_blanks(*api_key);
  }
  const std::string* authorization = first_header_value(headers, "Authorization");
  if (!authorization) return {};
  const std::string_view value = trim_blanks(*authorization);
  constexpr std::string_view kBearer = "Bearer ";
  if (!starts_with_ignoring_case(value, kBearer)) return {};
  return trim_blanks(value.substr(kBearer.size()));
}

std::string api_key_scope_label(std::string_view key) {
  if (key.empty()) return std::string(kAnonymousScope);
  std::string text(kKeyLabelDomain);
  text += key;
  return "key:" + sha256_hex_prefix(sha256_digest(text), kKeyLabelHexDigits);
}

}  // namespace prm_mock
