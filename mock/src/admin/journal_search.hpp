#pragma once
// POST /__admin/requests/count and /find: journal entries matching a `when` object (the fixture
// syntax: headers and body JSON pointers) plus an optional status and scope label. When nothing
// matches, the closest entries are reported with the conditions each failed, like WireMock's near
// misses.
//
// The journal keeps credential headers (X-API-Key, Authorization, Cookie, Proxy-Authorization)
// only as redacted text and a SHA-256 of the value sent: `equals` on them compares that digest
// with the digest of the value asked for, `present` works as for any header, and `matches` is
// refused, since no regex can run on a digest.
#include <rapidjson/document.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "contract/contract.hpp"
#include "journal/journal_entry.hpp"
#include "stubs/fixture_problem.hpp"
#include "stubs/request_context.hpp"
#include "stubs/request_matcher.hpp"
#include "text/sha256.hpp"

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

  // A fixture's `when` (as its file has it), to tell why the fixture did not answer an entry. A
  // regex (`matches`) on a credential header cannot run on the journal's digest: it fails when
  // the header was not sent, and when it was, it is reported as failed with "(not checked: the
  // journal keeps only a digest)".
  static std::optional<JournalSearch> compile_fixture_when(const rapidjson::Value& when,
                                                           const Contract& contract,
                                                           FixtureProblems& problems);

  JournalSearchResult run(const std::vector<std::shared_ptr<const JournalEntry>>& entries,
                          std::size_t max_near_misses = 3) const;

  // The conditions `entry` fails, described as near misses describe them; empty when it matches.
  std::vector<std::string> failed_by(const JournalEntry& entry) const;

 private:
  // `equals` on a credential header: compared by digest (JournalEntry::credential_digests).
  struct CredentialEquals {
    std::string header;  // as asked; compared ignoring case
    Sha256Digest digest;
  };
  struct Condition {
    std::string description;
    RequestMatcher matcher;  // exactly one condition, unless `credential` or `unchecked` is set
    std::optional<CredentialEquals> credential;
    // A regex on this credential header, which the journal cannot run: counted as failed.
    std::optional<std::string> unchecked_header;
  };
  static std::optional<JournalSearch> compile(const rapidjson::Value& query,
                                              const Contract& contract, FixtureProblems& problems,
                                              bool fixture_when);
  static bool holds(const Condition& condition, const JournalEntry& entry,
                    const RequestContext& context);

  std::optional<int> status_;
  std::optional<std::string> scope_;
  std::vector<Condition> conditions_;
};

}  // namespace prm_mock
