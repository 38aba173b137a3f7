#pragma once
// Scopes keep per-test state apart inside one server: a sequence fixture's position and the
// --stateful memory of what was published live per scope, so parallel tests with different API
// keys (or different session headers) never see each other's counters.
//
// A scope is named in every output (the journal, GET /__admin/scopes) by a label that never
// contains a credential:
//   "key:<16 hex digits>"  the API key's scope: the start of a SHA-256 of the key
//   "anonymous"            a request that presents no key
//   "header:<name>=<value>" the value of a header the test sets (name lower-case);
//   "header:<name>"         that header absent
//   "global"                one scope for every request
#include <httplib.h>

#include <optional>
#include <string>
#include <string_view>

namespace prm_mock {

inline constexpr std::string_view kGlobalScope = "global";
inline constexpr std::string_view kAnonymousScope = "anonymous";

// Which scope a request belongs to: a fixture's "scope", or --state-scope for --stateful memory.
struct ScopeRule {
  enum class Kind { ApiKey, Header, Global };
  Kind kind = Kind::ApiKey;
  std::string header;  // Kind::Header: the header's name, lower-case

  static ScopeRule api_key() { return {}; }
  static ScopeRule global() { return {Kind::Global, {}}; }
  static ScopeRule by_header(std::string_view name);

  std::string label_for(const httplib::Headers& headers) const;
  // As written in a fixture or the flag: "apiKey", "global", "header:<name>".
  std::string spelling() const;
};

// --state-scope's value: "apiKey", "global" or "header:NAME". Nothing, with `problem` set, when it
// is none of them or names a credential header (whose value would then be printed in labels).
std::optional<ScopeRule> parse_scope_rule(std::string_view text, std::string& problem);

// The API key a request presents, by the publish pipeline's rule (X-API-Key wins, else
// "Authorization: Bearer <key>"), trimmed; empty when there is none.
std::string_view presented_api_key(const httplib::Headers& headers);

// The label of `key`'s scope; kAnonymousScope for an empty key.
std::string api_key_scope_label(std::string_view key);

}  // namespace prm_mock
