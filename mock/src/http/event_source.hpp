#pragma once
// What an event stream (Server-Sent Events) reads from, as the connection layer sees it: a source
// of numbered events that a stream follows with a cursor. The connection reactor holds the
// streams and decides when and how much each gets; the source (the server wires the journal's)
// decides what the events are and writes them in the text/event-stream format.
#include <cstddef>
#include <cstdint>
#include <string>

namespace prm_mock {

// Where one stream stands: after the event numbered `after` (0: before the first), having been
// told of `clears` emptyings of the source.
struct EventCursor {
  std::uint64_t after = 0;
  std::uint64_t clears = 0;
};

// What EventSource::append_events wrote.
struct EventsAppended {
  std::size_t events = 0;     // events written
  std::uint64_t dropped = 0;  // events skipped, told to the reader as such
  bool more = false;          // events left for the next call (`max_bytes` stopped it)
};

class EventSource {
 public:
  virtual ~EventSource() = default;
  // Appends to `out` what happened after `cursor`, in the text/event-stream format, and moves
  // `cursor` past it: first that the source was emptied, if it was; then how many events are
  // skipped, if any are (those the source no longer holds, and the oldest of those beyond the
  // newest `max_events`); then events, oldest first, stopping once `max_bytes` have been appended
  // (one event is always whole, so one may pass the bound). `max_events` is at least 1. Called
  // on the reactor thread; it must not block for long (a short lock at most).
  virtual EventsAppended append_events(EventCursor& cursor, std::size_t max_events,
                                       std::size_t max_bytes, std::string& out) const = 0;
};

}  // namespace prm_mock
