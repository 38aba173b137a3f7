#pragma once
// A client of GET /__admin/requests/stream on a raw socket: it reads the response head, then the
// Server-Sent Events one at a time, and can stop reading (a slow client) or close at any moment.
#include <chrono>
#include <optional>
#include <string>

namespace prm_mock::testing {

struct StreamEvent {
  std::string id;       // "id:" line, empty when none
  std::string event;    // "event:" line, empty when none
  std::string data;     // "data:" line
  std::string comment;  // ": ..." line (keep-alive), without the colon and space
  std::string retry;    // "retry:" line
};

class EventStreamClient {
 public:
  // Connects and sends `GET target` (or another `method`) with `extra_headers` (each ending in
  // CRLF). `receive_buffer` > 0 shrinks the socket's receive buffer first (a client that stops
  // reading then stops the server's writes soon).
  explicit EventStreamClient(int port, const std::string& target = "/__admin/requests/stream",
                             const std::string& extra_headers = "", const char* method = "GET",
                             int receive_buffer = 0);
  ~EventStreamClient();
  EventStreamClient(const EventStreamClient&) = delete;
  EventStreamClient& operator=(const EventStreamClient&) = delete;

  // The response head through its blank line (empty when it did not come within `limit`).
  std::string head(std::chrono::milliseconds limit = std::chrono::seconds(10));
  // The next event (a block of lines ended by a blank line), after the head; nothing when none
  // came within `limit` or the server closed.
  std::optional<StreamEvent> next(std::chrono::milliseconds limit = std::chrono::seconds(10));
  // The next event that is an `event:` (comments and retry skipped).
  std::optional<StreamEvent> next_event(std::chrono::milliseconds limit = std::chrono::seconds(10));
  // Waits for the server to close; what arrives first is kept for next().
  bool wait_closed_by_server(std::chrono::milliseconds limit);
  // Whatever arrived after the head and was not handed out yet.
  const std::string& unread() const { return buffer_; }
  void close();

 private:
  // Receives once (waiting at most until `deadline`); false on timeout or close.
  bool receive(std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
  std::string buffer_;
  bool closed_ = false;
};

}  // namespace prm_mock::testing
