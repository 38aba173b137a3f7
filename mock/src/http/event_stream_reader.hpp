#pragma once
// One client of an event stream, as the connection reactor holds it: the connection, where the
// client stands in the event source, what it may still be sent (a token bucket) and what waits
// to be sent. Its socket is written without blocking; a client that does not read keeps at most
// one write's worth of events here, gets nothing new meanwhile, and later learns how many events
// it missed. Reactor thread only.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "http/connection.hpp"
#include "http/event_source.hpp"
#include "http/event_stream_limits.hpp"

namespace prm_mock {

class EventStreamReader {
 public:
  using Clock = Connection::Clock;

  // `first_bytes`: the response head and the stream's preamble, sent before any event.
  EventStreamReader(ConnectionPtr connection, EventCursor cursor, std::string first_bytes,
                    Clock::time_point now);

  Connection& connection() { return *connection_; }
  int socket_fd() const { return connection_->socket_fd; }
  bool has_unsent() const { return sent_ < unsent_.size(); }

  struct Written {
    bool open = true;           // false: the connection failed, and is to be closed
    bool more = false;          // events wait for this reader's next allowance or write
    std::uint64_t dropped = 0;  // events it skipped this time
  };
  // Adds what `source` has for the reader, within its allowance, and sends what the socket takes.
  // Nothing is added while bytes from before wait to be sent.
  // `allowance`: its share of what all readers may be sent (event_stream_limits.hpp).
  Written write_events(const EventSource& source, Clock::time_point now,
                       event_stream::ReaderAllowance allowance);
  // A comment line when nothing was written for `interval`; false when the connection failed.
  bool keep_alive(Clock::time_point now, std::chrono::milliseconds interval);
  // Sends what waits without blocking; false when the connection failed.
  bool send_unsent();
  // Reads and drops what the client sent (a stream takes no requests); false once it closed.
  bool discard_input();

  bool watching_output = false;  // the reactor's epoll watches it for room to write

 private:
  ConnectionPtr connection_;
  EventCursor cursor_;
  double tokens_;
  Clock::time_point refilled_;
  std::string unsent_;
  std::size_t sent_ = 0;  // bytes of unsent_ already sent
  Clock::time_point last_written_;
};

}  // namespace prm_mock
