#include "admin/journal_search.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>

#include "journal/redaction.hpp"
#include "stubs/request_context.hpp"
#include "text/ascii_text.hpp"
#include "text/json_pointer_text.hpp"
#include "text/json_text.hpp"
#include "text/utf8_text.hpp"

namespace prm_mock {
namespace {

// {"<part>": {"<target>": {"<operator>": <value>}}}: one condition as a `when` object of its own,
// so each can be evaluated (and reported) separately.
rapidjson::Document single_condition(const char* part, const rapidjson::Value& target,
                                     const rapidjson::Value& op, const rapidjson::Value& value) {
  rapidjson::Document when(rapidjson::kObjectType);
  auto& allocator = when.GetAllocator();
  rapidjson::Value operation(rapidjson::kObjectType);
  operation.AddMember(rapidjson::Value(op, allocator), rapidjson::Value(value, allocator),
                      allocator);
  rapidjson::Value targets(rapidjson::kObjectType);
  targets.AddMember(rapidjson::Value(target, allocator), operation, allocator);
  when.AddMember(rapidjson::StringRef(part), targets, allocator);
  return when;
}

// A near miss names each failed condition, the value asked for included; a credential asked for
// is shown redacted, like the journal shows what was sent.
std::string condition_description(const char* part, const rapidjson::Value& target,
                                  const rapidjson::Value& op, const rapidjson::Value& value) {
  const std::string_view name(target.GetString(), target.GetStringLength());
  std::string shown = compact_json(value);
  // A regex on a credential (a fixture's) is shown as written: it is a pattern, not a key.
  const bool asked_value = std::string_view(op.GetString(), op.GetStringLength()) != "matches";
  if (std::string_view(part) == "headers" && is_credential_header(name) && value.IsString() &&
      asked_value) {
    const std::string redacted = redact_header_value(name, value.GetString());
    rapidjson::Value text(redacted.c_str(), static_cast<rapidjson::SizeType>(redacted.size()));
    shown = compact_json(text);
  }
  return std::string(part) + " " + std::string(name) + " {" + compact_json(op) + ":" + shown + "}";
}

// A scope label quoted as JSON; a header scope's value may hold bytes that are not UTF-8.
std::string quoted_scope_label(std::string_view label) {
  const std::string text = valid_utf8(label);
  return compact_json(rapidjson::Value(rapidjson::StringRef(text.data(), text.size())));
}

}  // namespace

std::optional<JournalSearch> JournalSearch::compile(const rapidjson::Value& query,
                                                    const Contract& contract,
                                                    FixtureProblems& problems) {
  return compile(query, contract, problems, false);
}

std::optional<JournalSearch> JournalSearch::compile_fixture_when(const rapidjson::Value& when,
                                                                 const Contract& contract,
                                                                 FixtureProblems& problems) {
  return compile(when, contract, problems, true);
}

std::optional<JournalSearch> JournalSearch::compile(const rapidjson::Value& query,
                                                    const Contract& contract,
                                                    FixtureProblems& problems, bool fixture_when) {
  constexpr const char* kFile = "request body";
  if (!query.IsObject()) {
    problems.push_back({kFile, "", "expected a JSON object with headers, body and/or status"});
    return std::nullopt;
  }
  const std::size_t before = problems.size();
  JournalSearch search;
  // The whole `when` is compiled once first, so its shape is checked by the fixture rules and
  // problems read the same as in a fixture file.
  rapidjson::Document when(rapidjson::kObjectType);
  for (const auto& member : query.GetObject()) {
    const std::string name = member.name.GetString();
    if (name == "status") {
      if (!member.value.IsInt() || member.value.GetInt() < 100 || member.value.GetInt() > 599) {
        problems.push_back({kFile, "/status", "expected an HTTP status 100-599"});
      } else {
        search.status_ = member.value.GetInt();
      }
      continue;
    }
    if (name == "scope") {
      if (!member.value.IsString()) {
        problems.push_back({kFile, "/scope",
                            "expected a scope label such as \"key:…\", \"global\" or "
                            "\"anonymous\" (GET /__admin/scopes lists them)"});
      } else {
        search.scope_ = std::string(member.value.GetString(), member.value.GetStringLength());
      }
      continue;
    }
    when.AddMember(rapidjson::Value(member.name, when.GetAllocator()),
                   rapidjson::Value(member.value, when.GetAllocator()), when.GetAllocator());
  }
  RequestMatcher::compile(when, contract.request_schema(), kFile, "", problems);
  if (problems.size() != before) return std::nullopt;

  for (const char* part : {"headers", "body"}) {
    if (!when.HasMember(part)) continue;
    // Read through a const reference: C++20 finds rapidjson 1.1's comparison of mutable member
    // iterators ambiguous (clang's -Wambiguous-reversed-operator).
    const rapidjson::Value& conditions = when[part];
    for (const auto& target : conditions.GetObject()) {
      const std::string header(target.name.GetString(), target.name.GetStringLength());
      const bool credential = std::string_view(part) == "headers" && is_credential_header(header);
      for (const auto& op : target.value.GetObject()) {
        const std::string_view operation(op.name.GetString(), op.name.GetStringLength());
        std::string description = condition_description(part, target.name, op.name, op.value);
        if (credential && operation == "matches" && fixture_when) {
          search.conditions_.push_back(
              {std::move(description), RequestMatcher(), std::nullopt, header});
          continue;
        }
        if (credential && operation == "matches") {
          problems.push_back(
              {kFile, child_pointer(child_pointer("/headers", header), "matches"),
               header +
                   " is kept in the journal only as a digest, which a regex cannot search; ask "
                   "with equals and the whole value as sent, or with present"});
          continue;
        }
        if (credential && operation == "equals") {
          // RequestMatcher::compile above has made sure the value is a string.
          search.conditions_.push_back(
              {std::move(description), RequestMatcher(),
               CredentialEquals{header, sha256_digest(std::string_view(
                                            op.value.GetString(), op.value.GetStringLength()))},
               std::nullopt});
          continue;
        }
        const rapidjson::Document single = single_condition(part, target.name, op.name, op.value);
        auto matcher =
            RequestMatcher::compile(single, contract.request_schema(), kFile, "", problems);
        if (!matcher) return std::nullopt;
        search.conditions_.push_back(
            {std::move(description), std::move(*matcher), std::nullopt, std::nullopt});
      }
    }
  }
  if (problems.size() != before) return std::nullopt;
  return search;
}

bool JournalSearch::holds(const Condition& condition, const JournalEntry& entry,
                          const RequestContext& context) {
  if (condition.unchecked_header) return false;
  if (!condition.credential) return condition.matcher.matches(context);
  for (const CredentialDigest& sent : entry.credential_digests) {
    if (equals_ignoring_case(sent.name, condition.credential->header) &&
        digests_equal(sent.digest, condition.credential->digest)) {
      return true;
    }
  }
  return false;
}

std::vector<std::string> JournalSearch::failed_by(const JournalEntry& entry) const {
  static const rapidjson::Value kNoBody;  // entries whose body did not parse match as null
  const rapidjson::Value& body =
      entry.body_json ? static_cast<const rapidjson::Value&>(*entry.body_json) : kNoBody;
  const RequestContext context{entry.headers, body, entry.id};
  std::vector<std::string> failed;
  if (status_ && entry.status != *status_) {
    failed.push_back("status " + std::to_string(*status_) + " (was " +
                     std::to_string(entry.status) + ")");
  }
  if (scope_ && entry.scope != *scope_) {
    failed.push_back("scope " + quoted_scope_label(*scope_) + " (was " +
                     (entry.scope.empty() ? std::string("none") : quoted_scope_label(entry.scope)) +
                     ")");
  }
  for (const auto& condition : conditions_) {
    if (holds(condition, entry, context)) continue;
    const bool sent = condition.unchecked_header &&
                      entry.headers.find(*condition.unchecked_header) != entry.headers.end();
    failed.push_back(sent
                         ? condition.description + " (not checked: the journal keeps only a digest)"
                         : condition.description);
  }
  return failed;
}

JournalSearchResult JournalSearch::run(
    const std::vector<std::shared_ptr<const JournalEntry>>& entries,
    std::size_t max_near_misses) const {
  JournalSearchResult result;
  std::vector<NearMiss> misses;
  for (const auto& entry : entries) {
    NearMiss miss{entry, failed_by(*entry)};
    if (miss.failed.empty()) {
      result.matches.push_back(entry);
    } else {
      misses.push_back(std::move(miss));
    }
  }
  if (result.matches.empty()) {
    // Fewest failed conditions first; among equals the newest, which is likelier the one meant.
    std::reverse(misses.begin(), misses.end());
    std::stable_sort(misses.begin(), misses.end(), [](const NearMiss& a, const NearMiss& b) {
      return a.failed.size() < b.failed.size();
    });
    misses.resize(std::min(misses.size(), max_near_misses));
    result.near_misses = std::move(misses);
  }
  return result;
}

}  // namespace prm_mock
