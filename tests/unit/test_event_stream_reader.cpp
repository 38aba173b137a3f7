// EventStreamReader on its own: what it writes to a socket, and when, for a source that always
// has more (a flood) or a few new events. The clock is the test's, so no test waits.
#include <doctest/doctest.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "http/event_stream_reader.hpp"

using namespace std::chrono_literals;
using prm_mock::Connection;
using prm_mock::EventCursor;
using prm_mock::EventsAppended;
using prm_mock::EventSource;
using prm_mock::EventStreamReader;
using prm_mock::event_stream::ReaderAllowance;

namespace {

// Events numbered 1..newest; a reader further behind than it may be sent is told it skipped.
class NumberedEvents : public EventSource {
 public:
  std::uint64_t newest = 0;

  EventsAppended append_events(EventCursor& cursor, std::size_t max_events, std::size_t,
                               std::string& out) const override {
    EventsAppended appended;
    const std::uint64_t waiting = newest - cursor.after;
    if (waiting > max_events) {
      appended.dropped = waiting - max_events;
      cursor.after += appended.dropped;
      out += "event: dropped\ndata: {}\n\n";
    }
    for (; cursor.after < newest; ++appended.events) {
      out += "id: " + std::to_string(++cursor.after) + "\nevent: request\ndata: {}\n\n";
    }
    return appended;
  }
};

// A reader on one end of a socket pair; the test reads the other end.
struct ReaderOnSocketPair {
  std::atomic<int> open_connections{0};
  int client_fd = -1;
  std::unique_ptr<EventStreamReader> reader;

  explicit ReaderOnSocketPair(EventStreamReader::Clock::time_point now) {
    int fds[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
    client_fd = fds[1];
    reader = std::make_unique<EventStreamReader>(
        std::make_unique<Connection>(fds[0], 1s, open_connections), EventCursor{}, "", now);
  }
  ~ReaderOnSocketPair() { ::close(client_fd); }

  // The `event: request`s that arrived since the last call.
  int requests_received() {
    std::string text;
    char buffer[65536];
    for (;;) {
      const ssize_t count = ::recv(client_fd, buffer, sizeof buffer, MSG_DONTWAIT);
      if (count <= 0) break;
      text.append(buffer, static_cast<std::size_t>(count));
    }
    int requests = 0;
    for (auto at = text.find("event: request"); at != std::string::npos;
         at = text.find("event: request", at + 1)) {
      ++requests;
    }
    return requests;
  }
};

}  // namespace

TEST_CASE("event stream reader: within its burst, each event goes out at the next write") {
  const auto start = EventStreamReader::Clock::now();
  ReaderOnSocketPair pair(start);
  NumberedEvents source;
  const ReaderAllowance allowance{200, 1000};
  source.newest = 3;
  CHECK(pair.reader->write_events(source, start, allowance).open);
  CHECK(pair.requests_received() == 3);
  source.newest = 4;
  pair.reader->write_events(source, start + 20ms, allowance);
  CHECK(pair.requests_received() == 1);
}

TEST_CASE(
    "event stream reader: held to its rate by a flood, it is written a second's worth at once") {
  const auto start = EventStreamReader::Clock::now();
  ReaderOnSocketPair pair(start);
  NumberedEvents source;
  const ReaderAllowance allowance{20, 100};  // one of 100 readers
  source.newest = 1000;
  // The burst first.
  const auto first = pair.reader->write_events(source, start, allowance);
  CHECK(pair.requests_received() == 100);
  CHECK(first.dropped == 900);
  // Then, with the flood going on, every 20 ms for 2.5 s: nothing until a second's worth (20) is
  // due, so two writes of 20.
  int writes_with_events = 0;
  int received = 0;
  for (auto elapsed = 20ms; elapsed <= 2500ms; elapsed += 20ms) {
    source.newest += 10;
    const auto written = pair.reader->write_events(source, start + elapsed, allowance);
    CHECK(written.open);
    const int now_received = pair.requests_received();
    if (now_received == 0) CHECK(written.more);  // held back: the reactor is to come back
    if (now_received > 0) ++writes_with_events;
    CHECK(now_received <= 21);
    received += now_received;
  }
  CHECK(writes_with_events == 2);
  CHECK(received == 40);
}
