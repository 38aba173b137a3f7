// Sequence numbers and reading the journal as it grows: what the request event stream relies on.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include "journal/journal.hpp"

using prm_mock::ExchangeRecord;
using prm_mock::Journal;
using prm_mock::JournalCursor;
using prm_mock::JournalOptions;
using prm_mock::JournalTail;
using std::chrono::seconds;

namespace {

// 2027-01-15T08:00:00Z
const std::chrono::system_clock::time_point kSequenceStart{seconds(1'800'000'000)};

// Entries "seq-<first>" ... "seq-<last>", received one second apart from kSequenceStart.
void record_range(Journal& journal, int first, int last) {
  for (int i = first; i <= last; ++i) {
    ExchangeRecord record;
    record.id = "seq-" + std::to_string(i);
    record.received_at = kSequenceStart + seconds(i);
    record.status = 201;
    journal.record(record);
  }
}

std::vector<std::string> tail_ids(const JournalTail& tail) {
  std::vector<std::string> result;
  for (const auto& entry : tail.entries) result.push_back(entry->id);
  return result;
}

using TailIds = std::vector<std::string>;

}  // namespace

TEST_CASE("journal sequence: numbered from 1, read after a cursor, oldest first") {
  Journal journal(JournalOptions{});
  CHECK(journal.cursor_at_newest().after == 0);
  record_range(journal, 1, 5);
  CHECK(journal.cursor_at_newest().after == 5);
  const JournalTail tail = journal.read_after({2, 0}, 100);
  CHECK(tail_ids(tail) == TailIds{"seq-3", "seq-4", "seq-5"});
  CHECK(tail.first_sequence == 3);
  CHECK(tail.skipped == 0);
  CHECK_FALSE(tail.cleared);
  const JournalTail nothing_new = journal.read_after({5, 0}, 100);
  CHECK(nothing_new.entries.empty());
  CHECK(nothing_new.first_sequence == 6);
  CHECK(nothing_new.skipped == 0);
}

TEST_CASE("journal sequence: more than asked for skips the oldest and counts them") {
  Journal journal(JournalOptions{});
  record_range(journal, 1, 10);
  const JournalTail tail = journal.read_after({0, 0}, 3);
  CHECK(tail_ids(tail) == TailIds{"seq-8", "seq-9", "seq-10"});
  CHECK(tail.first_sequence == 8);
  CHECK(tail.skipped == 7);
}

TEST_CASE("journal sequence: entries the bound dropped are counted as skipped") {
  Journal journal(JournalOptions{4});
  record_range(journal, 1, 10);  // holds 7..10
  const JournalTail tail = journal.read_after({2, 0}, 100);
  CHECK(tail_ids(tail) == TailIds{"seq-7", "seq-8", "seq-9", "seq-10"});
  CHECK(tail.first_sequence == 7);
  CHECK(tail.skipped == 4);  // 3..6
}

TEST_CASE("journal sequence: clear() keeps the numbering; a reader learns of the clear once") {
  Journal journal(JournalOptions{});
  record_range(journal, 1, 3);
  const JournalCursor before = journal.cursor_at_newest();
  record_range(journal, 4, 5);  // never read: cleared before the reader got to them
  journal.clear();
  record_range(journal, 6, 7);
  CHECK(journal.cursor_at_newest().after == 7);
  CHECK(journal.cursor_at_newest().clears == 1);
  const JournalTail tail = journal.read_after(before, 100);
  CHECK(tail.cleared);
  CHECK(tail.skipped == 0);  // what was cleared is not counted as missed
  CHECK(tail_ids(tail) == TailIds{"seq-6", "seq-7"});
  CHECK(tail.first_sequence == 6);
  CHECK_FALSE(journal.read_after({7, tail.clears}, 100).cleared);
}

TEST_CASE("journal sequence: since an id or a time gives the cursor before the entries after it") {
  Journal journal(JournalOptions{});
  record_range(journal, 1, 5);
  CHECK(journal.cursor_before("seq-3")->after == 3);
  CHECK(journal.cursor_before("seq-5")->after == 5);
  CHECK(journal.cursor_before("1970-01-01T00:00:00Z")->after == 0);
  CHECK(journal.cursor_before("2027-01-15T08:00:04Z")->after == 3);  // seq-4 is received then
  CHECK(journal.cursor_before("2030-01-01T00:00:00Z")->after == 5);
  CHECK_FALSE(journal.cursor_before("no-such-entry").has_value());
  journal.clear();
  record_range(journal, 6, 7);
  // The numbering goes on after a clear: the held entries start at 6.
  CHECK(journal.cursor_before("1970-01-01T00:00:00Z")->after == 5);
  CHECK(journal.cursor_before("seq-6")->after == 6);
  CHECK(journal.cursor_before("1970-01-01T00:00:00Z")->clears == 1);
}

TEST_CASE("journal sequence: the change listener hears of every record and clear") {
  Journal journal(JournalOptions{});
  int changes = 0;
  journal.set_change_listener([&changes] { ++changes; });
  record_range(journal, 1, 3);
  journal.clear();
  CHECK(changes == 4);
}
