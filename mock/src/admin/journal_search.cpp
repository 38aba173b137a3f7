#include "admin/journal_search.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>

#include "stubs/request_context.hpp"
#include "text/json_text.hpp"

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

}  // namespace

std::optional<JournalSearch> JournalSearch::compile(const rapidjson::Value& query,
                                                    const Contract& contract,
                                                    FixtureProblems& problems) {
  constexpr const char* kFile = "request body";
  if (!query.IsObject()) {
    problems.push_back({kFile, "", "expected a JSON object with headers, body and/or status"});
    return std::nullopt;
  }
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
    when.AddMember(rapidjson::Value(member.name, when.GetAllocator()),
                   rapidjson::Value(member.value, when.GetAllocator()), when.GetAllocator());
  }
  const size_t before = problems.size();
  RequestMatcher::compile(when, contract.request_schema(), kFile, "", problems);
  if (problems.size() != before) return std::nullopt;

  for (const char* part : {"headers", "body"}) {
    if (!when.HasMember(part)) continue;
    // Read through a const reference: C++20 finds rapidjson 1.1's comparison of mutable member
    // iterators ambiguous (clang's -Wambiguous-reversed-operator).
    const rapidjson::Value& conditions = when[part];
    for (const auto& target : conditions.GetObject()) {
      for (const auto& op : target.value.GetObject()) {
        const rapidjson::Document single = single_condition(part, target.name, op.name, op.value);
        auto matcher =
            RequestMatcher::compile(single, contract.request_schema(), kFile, "", problems);
        if (!matcher) return std::nullopt;
        search.conditions_.push_back({std::string(part) + " " + target.name.GetString() + " {" +
                                          compact_json(op.name) + ":" + compact_json(op.value) +
                                          "}",
                                      std::move(*matcher)});
      }
    }
  }
  return search;
}

JournalSearchResult JournalSearch::run(
    const std::vector<std::shared_ptr<const JournalEntry>>& entries,
    std::size_t max_near_misses) const {
  static const rapidjson::Value kNoBody;  // entries whose body did not parse match as null
  JournalSearchResult result;
  std::vector<NearMiss> misses;
  for (const auto& entry : entries) {
    const rapidjson::Value& body =
        entry->body_json ? static_cast<const rapidjson::Value&>(*entry->body_json) : kNoBody;
    const RequestContext context{entry->headers, body, entry->id};
    NearMiss miss{entry, {}};
    if (status_ && entry->status != *status_) {
      miss.failed.push_back("status " + std::to_string(*status_) + " (was " +
                            std::to_string(entry->status) + ")");
    }
    for (const auto& condition : conditions_) {
      if (!condition.matcher.matches(context)) miss.failed.push_back(condition.description);
    }
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
