#include "journal/journal_query.hpp"

#include <algorithm>

#include "text/utc_time_text.hpp"

namespace prm_mock {
namespace {

using Entries = std::vector<std::shared_ptr<const JournalEntry>>;

// Where matching starts and the earliest receive time accepted, as `since` asks.
struct SinceBound {
  std::size_t first_index = 0;
  std::optional<std::chrono::system_clock::time_point> received_at_least;
};

std::optional<SinceBound> since_bound(const Entries& entries, const std::string& since) {
  if (const auto time = parse_rfc3339(since)) return SinceBound{0, time};
  for (std::size_t i = entries.size(); i > 0; --i) {
    if (entries[i - 1]->id == since) return SinceBound{i, std::nullopt};
  }
  return std::nullopt;
}

bool matches(const JournalEntry& entry, const JournalQuery& query, const SinceBound& since) {
  if (query.status && entry.status != *query.status) return false;
  if (query.fixture && entry.fixture != *query.fixture) return false;
  if (query.scope && entry.scope != *query.scope) return false;
  if (since.received_at_least && entry.received_at < *since.received_at_least) return false;
  return true;
}

}  // namespace

std::optional<std::size_t> since_start_index(const Entries& entries, const std::string& since) {
  const auto bound = since_bound(entries, since);
  if (!bound) return std::nullopt;
  if (!bound->received_at_least) return bound->first_index;
  const auto first = std::find_if(entries.begin(), entries.end(), [&](const auto& entry) {
    return entry->received_at >= *bound->received_at_least;
  });
  return static_cast<std::size_t>(first - entries.begin());
}

JournalListing select_entries(const Entries& entries, const JournalQuery& query) {
  JournalListing listing;
  SinceBound since;
  if (query.since) {
    const auto bound = since_bound(entries, *query.since);
    if (!bound) {
      listing.problem = "since: '" + *query.since +
                        "' is neither an RFC 3339 timestamp nor the id of an entry in the journal";
      return listing;
    }
    since = *bound;
  }
  // Walk newest to oldest so `limit` can stop early, then restore the oldest-first order.
  const std::size_t wanted = query.limit.value_or(entries.size());
  for (std::size_t i = entries.size(); i > since.first_index && listing.entries.size() < wanted;) {
    --i;
    if (matches(*entries[i], query, since)) listing.entries.push_back(entries[i]);
  }
  std::reverse(listing.entries.begin(), listing.entries.end());
  return listing;
}

}  // namespace prm_mock
