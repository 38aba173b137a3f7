#pragma once
// POST /__admin/requests/count and /find: journal entries matching a `when` object (the fixture
// syntax: headers and body JSON pointers) plus an optional status. When nothing matches, the
// closest entries are reported with the conditions each failed, like WireMock's near misses.
#include <rapidjson/document.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "contract/contract.hpp"
#include "journal/journal_entry.hpp"
#include "stubs/fixture_problem.hpp"
#include "stubs/request_matcher.hpp"

namespace prm_mock {

struct NearMiss {
  std::shared_ptr<const JournalEntry> entry;
  std::vector<std::string>
      failed;  // each failed condition, e.g. "body /artifact/version {\"equals\":\"1.2.0\"}"
};

struct JournalSearchResult {
  std::vector<std::shared_ptr<const JournalEntry>> matches;
  std::vector<NearMiss> near_misses;  // only when nothing matched; closest first
};

class JournalSearch {
 public:
  // Compiles the query; on problems returns nothing and fills `problems` (fields are pointers into
  // the query body).
  static std::optional<JournalSearch> compile(const rapidjson::Value& query,
                                              const Contract& contract, FixtureProblems& problems);

  JournalSearchResult run(const std::vector<std::shared_ptr<const JournalEntry>>& entries,
                          std::size_t max_near_misses = 3) const;

 private:
  struct Condition {
    std::string description;
    RequestMatcher matcher;  // exactly one condition
  };
  std::optional<int> status_;
  std::vector<Condition> conditions_;
};

}  // namespace prm_mock
