// The journal as the request event stream's source: what one write to a reader holds.
#include <doctest/doctest.h>

#include <string>

#include "admin/request_event_source.hpp"
#include "journal/journal.hpp"

using prm_mock::EventCursor;
using prm_mock::ExchangeRecord;
using prm_mock::Journal;
using prm_mock::JournalOptions;
using prm_mock::RequestEventSource;

namespace {

// Entries "event-<first>" ... "event-<last>".
void record_events(Journal& journal, int first, int last) {
  for (int i = first; i <= last; ++i) {
    ExchangeRecord record;
    record.id = "event-" + std::to_string(i);
    record.status = 201;
    journal.record(record);
  }
}

}  // namespace

TEST_CASE("request events: one per entry with its sequence id, then dropped and cleared") {
  Journal journal(JournalOptions{});
  const RequestEventSource source(journal);
  record_events(journal, 1, 2);
  EventCursor cursor{0, 0};
  std::string out;
  auto appended = source.append_events(cursor, 10, 1 << 20, out);
  CHECK(appended.events == 2);
  CHECK(appended.dropped == 0);
  CHECK(cursor.after == 2);
  const std::string first_json = journal.snapshot().front()->json;
  CHECK(out.starts_with("id: 1\nevent: request\ndata: " + first_json + "\n\n"));
  CHECK(out.find("id: 2\nevent: request\ndata: ") != std::string::npos);

  record_events(journal, 3, 8);
  out.clear();
  appended = source.append_events(cursor, 2, 1 << 20, out);
  CHECK(appended.dropped == 4);
  CHECK(appended.events == 2);
  CHECK(out.starts_with("event: dropped\ndata: {\"dropped\":4}\n\nid: 7\n"));
  CHECK(cursor.after == 8);

  journal.clear();
  out.clear();
  source.append_events(cursor, 10, 1 << 20, out);
  CHECK(out == "event: cleared\ndata: {}\n\n");
  out.clear();
  source.append_events(cursor, 10, 1 << 20, out);
  CHECK(out.empty());
}

TEST_CASE("request events: the byte bound leaves the rest for the next call, not dropped") {
  Journal journal(JournalOptions{});
  const RequestEventSource source(journal);
  record_events(journal, 1, 5);
  EventCursor cursor{0, 0};
  std::string out;
  auto appended = source.append_events(cursor, 10, 1, out);  // one event passes any bound
  CHECK(appended.events == 1);
  CHECK(appended.more);
  CHECK(cursor.after == 1);
  out.clear();
  appended = source.append_events(cursor, 10, 1 << 20, out);
  CHECK(appended.events == 4);
  CHECK(appended.dropped == 0);
  CHECK_FALSE(appended.more);
}
