#pragma once
// The journal as the source of GET /__admin/requests/stream: one Server-Sent Event per entry,
// numbered by the entry's sequence number, its data the entry's JSON as the listing shows it.
#include <cstddef>
#include <string>

#include "http/event_source.hpp"
#include "journal/journal.hpp"

namespace prm_mock {

class RequestEventSource final : public EventSource {
 public:
  explicit RequestEventSource(const Journal& journal) : journal_(journal) {}

  // `event: cleared` once for any clears since the cursor; `event: dropped` with the count of
  // entries skipped; then `id: N`, `event: request`, `data: <entry JSON>` per entry.
  EventsAppended append_events(EventCursor& cursor, std::size_t max_events, std::size_t max_bytes,
                               std::string& out) const override;

 private:
  const Journal& journal_;
};

// A stream's start, from the journal's position.
inline EventCursor event_cursor_of(JournalCursor cursor) { return {cursor.after, cursor.clears}; }

}  // namespace prm_mock
