#pragma once
// What the connection loop and a request's handler tell each other about one exchange (a request
// and its response). The record belongs to the connection and travels with it: a handler decides
// the response and returns, and the loop may send that response later, from another thread (a
// fixture's delay), or hold the connection open without answering (the timeout fault). So nothing
// here may live in "the thread that handles the request": handlers are given the record
// explicitly (ConnectionServer::exchange_in_progress), and the loop reads it when it finishes.
#include <chrono>
#include <optional>
#include <string>

#include "http/event_source.hpp"

namespace prm_mock {

enum class ConnectionFault {
  None,
  Reset,          // abort with a TCP RST and write nothing
  CloseSilently,  // close with no response bytes at all
  HoldOpen,       // write nothing and keep the connection until the client gives up
};

struct ExchangeContext {
  using SteadyClock = std::chrono::steady_clock;

  SteadyClock::time_point started;
  std::chrono::system_clock::time_point received_at;
  // Set by a handler that answered without consuming the whole request body: the unread bytes
  // would be parsed as the next request, so the connection must close after this response.
  bool close_after_response = false;
  // Set by the stream when a read gave up on a time limit, so the body reader can say 408.
  bool read_timed_out = false;
  ConnectionFault fault = ConnectionFault::None;
  // A fixture's delay: the response is complete when the handler returns, and the connection loop
  // sends it at this time, without a thread waiting for it.
  std::optional<SteadyClock::time_point> respond_at;
  std::chrono::milliseconds delay{0};
  // A fixture's dribble: after the head, the body leaves in `chunks` pieces over `over`, the
  // connection waiting in the reactor between pieces (ConnectionServer::send_response). The
  // response is collected whole, like a delayed one, so its pieces can be cut from it.
  struct Dribble {
    int chunks = 2;
    std::chrono::milliseconds over{1};
  };
  std::optional<Dribble> dribble;
  // Set by a handler whose request becomes an event stream (GET /__admin/requests/stream): the
  // response httplib renders is replaced by the stream's own head (`head`, filled in from that
  // response's headers once the handlers are done), and the connection goes to the reactor, which
  // sends events after `from` until the client leaves. `head_only` (HEAD): the head, then close.
  struct EventStream {
    EventCursor from;
    bool head_only = false;
    std::string head;
  };
  std::optional<EventStream> event_stream;
  // For the request log line.
  std::string request_id;
  std::string fixture;
  std::string error_code;
  std::string first_problem;
  // The label of the scope whose state answered (a sequence's, or the --stateful memory's), for
  // the journal; empty when the responder used none.
  std::string scope;
  // What --chaos answered instead of the fixture ("503", "connection_reset"); empty when nothing.
  std::string chaos;

  void reset_for_next_request() {
    started = SteadyClock::now();
    received_at = std::chrono::system_clock::now();
    close_after_response = false;
    read_timed_out = false;
    fault = ConnectionFault::None;
    respond_at.reset();
    delay = std::chrono::milliseconds(0);
    dribble.reset();
    event_stream.reset();
    request_id.clear();
    fixture.clear();
    error_code.clear();
    first_problem.clear();
    scope.clear();
    chaos.clear();
  }

  // The response is held back: sent at `respond_at` (a delay) or never (held open).
  bool response_deferred() const {
    return fault == ConnectionFault::HoldOpen ||
           (respond_at.has_value() && *respond_at > SteadyClock::now());
  }
  // Asks the loop to send the response `duration` after the request arrived.
  void delay_response(std::chrono::milliseconds duration) {
    delay = duration;
    respond_at = started + duration;
  }
};

}  // namespace prm_mock
