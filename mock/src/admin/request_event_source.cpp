#include "admin/request_event_source.hpp"

namespace prm_mock {

EventsAppended RequestEventSource::append_events(EventCursor& cursor, std::size_t max_events,
                                                 std::size_t max_bytes, std::string& out) const {
  const JournalTail tail = journal_.read_after({cursor.after, cursor.clears}, max_events);
  EventsAppended appended;
  if (tail.cleared) out += "event: cleared\ndata: {}\n\n";
  if (tail.skipped > 0) {
    out += "event: dropped\ndata: {\"dropped\":" + std::to_string(tail.skipped) + "}\n\n";
    appended.dropped = tail.skipped;
  }
  cursor.clears = tail.clears;
  cursor.after = tail.first_sequence - 1;
  const std::size_t start = out.size();
  for (const auto& entry : tail.entries) {
    if (out.size() - start >= max_bytes) {
      appended.more = true;
      break;
    }
    ++cursor.after;
    // Compact JSON has no raw line break, so the entry is one `data:` line.
    out += "id: " + std::to_string(cursor.after) + "\nevent: request\ndata: ";
    out += entry->json;
    out += "\n\n";
    ++appended.events;
  }
  return appended;
}

}  // namespace prm_mock
