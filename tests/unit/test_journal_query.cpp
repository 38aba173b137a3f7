#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include "journal/journal.hpp"

using prm_mock::ExchangeRecord;
using prm_mock::Journal;
using prm_mock::JournalListing;
using prm_mock::JournalOptions;
using prm_mock::JournalQuery;
using std::chrono::seconds;

namespace {

const std::chrono::system_clock::time_point kStart{seconds(1'800'000'000)};  // 2027-01-15T08:00:00Z

// Five entries one second apart: req-1 (201, ok) ... req-5, with statuses and fixtures varied.
void record_five(Journal& journal) {
  const int statuses[] = {201, 400, 201, 401, 201};
  const char* fixtures[] = {"ok", "", "ok", "", "slow"};
  for (int i = 0; i < 5; ++i) {
    ExchangeRecord record;
    record.id = "req-" + std::to_string(i + 1);
    record.received_at = kStart + seconds(i);
    record.status = statuses[i];
    record.fixture = fixtures[i];
    journal.record(record);
  }
}

std::vector<std::string> ids(const JournalListing& listing) {
  std::vector<std::string> result;
  for (const auto& entry : listing.entries) result.push_back(entry->id);
  return result;
}

using Ids = std::vector<std::string>;

}  // namespace

TEST_CASE("journal list: no filter lists everything oldest first, with the counters") {
  Journal journal(JournalOptions{4});
  record_five(journal);
  const auto listing = journal.list({});
  CHECK(ids(listing) == Ids{"req-2", "req-3", "req-4", "req-5"});
  CHECK(listing.total == 5);
  CHECK(listing.dropped == 1);
  CHECK(listing.problem.empty());
  CHECK(prm_mock::entries_json_array(listing.entries).front() == '[');
}

TEST_CASE("journal list: status and fixture filters, alone and together") {
  Journal journal(JournalOptions{});
  record_five(journal);
  CHECK(ids(journal.list({.status = 201})) == Ids{"req-1", "req-3", "req-5"});
  CHECK(ids(journal.list({.fixture = "ok"})) == Ids{"req-1", "req-3"});
  CHECK(ids(journal.list({.fixture = ""})) == Ids{"req-2", "req-4"});
  CHECK(ids(journal.list({.status = 201, .fixture = "slow"})) == Ids{"req-5"});
  CHECK(ids(journal.list({.status = 500})).empty());
}

TEST_CASE("journal list: since a time includes entries received at or after it, any offset") {
  Journal journal(JournalOptions{});
  record_five(journal);
  CHECK(ids(journal.list({.since = "2027-01-15T08:00:03Z"})) == Ids{"req-4", "req-5"});
  CHECK(ids(journal.list({.since = "2027-01-15T08:00:02.001Z"})) == Ids{"req-4", "req-5"});
  CHECK(ids(journal.list({.since = "2027-01-15T09:00:03+01:00"})) == Ids{"req-4", "req-5"});
  CHECK(ids(journal.list({.since = "2000-01-01T00:00:00Z"})).size() == 5);
  CHECK(ids(journal.list({.since = "2030-01-01T00:00:00Z"})).empty());
}

TEST_CASE("journal list: since an id lists the entries recorded after it") {
  Journal journal(JournalOptions{});
  record_five(journal);
  CHECK(ids(journal.list({.since = "req-3"})) == Ids{"req-4", "req-5"});
  CHECK(ids(journal.list({.since = "req-5"})).empty());
  CHECK(ids(journal.list({.status = 201, .since = "req-1"})) == Ids{"req-3", "req-5"});
}

TEST_CASE("journal list: an unknown since is a problem, not an empty answer") {
  Journal journal(JournalOptions{});
  record_five(journal);
  const auto listing = journal.list({.since = "req-99"});
  CHECK(listing.entries.empty());
  CHECK(listing.problem.find("req-99") != std::string::npos);
  CHECK_FALSE(journal.list({.since = "2027-02-30T00:00:00Z"}).problem.empty());  // no such day
}

TEST_CASE("journal list: limit keeps the newest matches and still lists them newest last") {
  Journal journal(JournalOptions{});
  record_five(journal);
  CHECK(ids(journal.list({.limit = 2})) == Ids{"req-4", "req-5"});
  CHECK(ids(journal.list({.status = 201, .limit = 2})) == Ids{"req-3", "req-5"});
  CHECK(ids(journal.list({.limit = 0})).empty());
  CHECK(ids(journal.list({.limit = 50})).size() == 5);
}
