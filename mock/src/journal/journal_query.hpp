#pragma once
// The filters of GET /__admin/requests, applied to a snapshot of the journal.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "journal/journal_entry.hpp"

namespace prm_mock {

// Unset filters select everything. (The explicit "= std::nullopt" lets callers write designated
// initializers such as {.status = 201} without GCC 12's missing-initializer warning.)
struct JournalQuery {
  std::optional<int> status = std::nullopt;
  std::optional<std::string> fixture = std::nullopt;  // "": entries no fixture answered
  std::optional<std::string> scope = std::nullopt;    // a scope label, exactly
  // An RFC 3339 timestamp (entries received at or after it), or an entry id (entries recorded
  // after that entry; if the id repeats, after its newest occurrence).
  std::optional<std::string> since = std::nullopt;
  std::optional<std::size_t> limit = std::nullopt;  // the newest N of the matches
};

struct JournalListing {
  std::vector<std::shared_ptr<const JournalEntry>> entries;  // oldest first, newest last
  std::uint64_t total = 0;    // recorded since the last clear, as of this listing
  std::uint64_t dropped = 0;  // dropped for the bound since the last clear, as of this listing
  // Non-empty when the query cannot be answered (`since` is neither a timestamp nor the id of an
  // entry still held); `entries` is then empty. Says what was wrong, for a 400.
  std::string problem;
};

// Where the entries after `since` (as JournalQuery's) start in `entries` (in recording order): the
// index after the newest entry with that id, or of the first entry received at or after that
// time (entries.size() when none is); nothing when `since` is neither.
std::optional<std::size_t> since_start_index(
    const std::vector<std::shared_ptr<const JournalEntry>>& entries, const std::string& since);

// Filters `entries` (in recording order) by `query`; fills `entries` and `problem` of the result.
JournalListing select_entries(const std::vector<std::shared_ptr<const JournalEntry>>& entries,
                              const JournalQuery& query);

}  // namespace prm_mock
