#pragma once
// What the connection loop and a request's handler tell each other about the exchange in progress.
// cpp-httplib runs each request's handler on the thread that owns the connection, so one
// thread-local record per worker thread carries it without locks.
#include <chrono>
#include <string>

namespace prm_mock {

enum class ConnectionFault {
  None,
  Reset,          // abort with a TCP RST and write nothing
  CloseSilently,  // close with no response bytes at all
};

struct ExchangeContext {
  int socket = -1;
  int shutdown_event_fd = -1;  // readable once the server is shutting down
  std::chrono::steady_clock::time_point started;
  std::chrono::system_clock::time_point received_at;
  // Set by a handler that answered without consuming the whole request body: the unread bytes
  // would be parsed as the next request, so the connection must close after this response.
  bool close_after_response = false;
  // Set by the stream when a read gave up on a time limit, so the body reader can say 408.
  bool read_timed_out = false;
  ConnectionFault fault = ConnectionFault::None;
  // For the request log line.
  std::string request_id;
  std::string fixture;
  std::string error_code;
  std::string first_problem;

  void reset_for_next_request(int socket_fd, int shutdown_fd) {
    socket = socket_fd;
    shutdown_event_fd = shutdown_fd;
    started = std::chrono::steady_clock::now();
    received_at = std::chrono::system_clock::now();
    close_after_response = false;
    read_timed_out = false;
    fault = ConnectionFault::None;
    request_id.clear();
    fixture.clear();
    error_code.clear();
    first_problem.clear();
  }
};

ExchangeContext& current_exchange();

}  // namespace prm_mock
