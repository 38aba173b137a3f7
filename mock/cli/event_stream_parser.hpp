#pragma once
// An incremental reader of a text/event-stream body (Server-Sent Events, as the HTML Living
// Standard defines its parsing): bytes go in as the network delivers them, in pieces of any size,
// and whole events come out. `prm-mock tail` reads GET /__admin/requests/stream with it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace prm_mock {

struct ServerSentEvent {
  std::string type = "message";  // the "event:" field; "message" when the event named none
  std::string data;              // the "data:" lines joined with '\n'
  std::string last_event_id;     // the stream's last "id:" at the time the event was dispatched
};

class EventStreamParser {
 public:
  // Appends the events completed by `bytes` to `events`. Lines may end in LF, CRLF or a lone CR,
  // and a CRLF may be split between two calls.
  void feed(std::string_view bytes, std::vector<ServerSentEvent>& events);

  // The last "id:" seen, even in an event not yet complete or one without data; what a client
  // sends back as Last-Event-ID when it reconnects.
  const std::string& last_event_id() const { return last_event_id_; }

  // The last valid "retry:" (milliseconds), when the stream sent one.
  std::optional<std::uint64_t> retry_ms() const { return retry_ms_; }

 private:
  void take_line(std::string_view line, std::vector<ServerSentEvent>& events);
  void take_field(std::string_view name, std::string_view value);
  void dispatch(std::vector<ServerSentEvent>& events);

  std::string line_;             // the current line's bytes so far
  bool skip_line_feed_ = false;  // the last byte was a CR: a LF right after it ends nothing
  bool at_stream_start_ = true;  // a UTF-8 byte order mark here is skipped
  std::string data_;             // this event's data lines, each followed by '\n'
  bool has_data_ = false;        // a data field was seen (data may still be empty)
  std::string type_;             // this event's type; empty means "message"
  std::string last_event_id_;
  std::optional<std::uint64_t> retry_ms_;
};

}  // namespace prm_mock
