#pragma once
// A buffered httplib::Stream over one accepted connection. cpp-httplib's own SocketStream lives in
// its compiled library, not its header; owning the stream lets our connection loop decide
// keep-alive, read-ahead while idle, timeouts, shutdown draining and faults, while httplib still
// parses requests and writes responses.
#include <sys/types.h>

#include <array>
#include <chrono>
#include <memory>
#include <string>

#include <httplib.h>

#include "transport.hpp"

namespace prm_mock {

class SocketStream final : public httplib::Stream {
 public:
  using Clock = std::chrono::steady_clock;

  SocketStream(int socket_fd, std::unique_ptr<Transport> transport, std::chrono::milliseconds io_timeout);

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* destination, size_t size) override;
  ssize_t write(const char* source, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override { return socket_fd_; }

  Transport& transport() { return *transport_; }
  void replace_transport(std::unique_ptr<Transport> transport) { transport_ = std::move(transport); }

  // Reads must finish by `deadline` (the request's time limit) as well as within the I/O timeout.
  void set_read_deadline(Clock::time_point deadline) {
    read_deadline_ = deadline;
    read_timed_out_ = false;
  }
  // Whether the last failed read failed because a time limit passed.
  bool read_timed_out() const { return read_timed_out_; }

  // Bytes received but not yet consumed (a pipelined or read-ahead request).
  bool has_buffered_bytes() const {
    return buffer_begin_ < buffer_end_ || transport_->has_pending_bytes();
  }
  // The buffer holds a whole request head (line and headers), or as much of one as fits: httplib
  // can parse it without waiting on the client.
  bool has_request_head() const;

  enum class ReadAhead { Received, NothingYet, Closed };
  // Appends what the socket has now, without blocking (plain TCP only).
  ReadAhead read_ahead();

  // Sends what write() has collected. httplib writes a response in pieces (the head, then the
  // body); collected, they leave in one send instead of one per piece. The connection loop
  // calls this once the response is complete; reads call it first, so an interim response
  // (100 Continue) reaches the client before we wait for the body. False when sending failed.
  bool flush() { return send_unsent(); }

 private:
  // const because httplib's is_readable() is: before waiting for the client, what we wrote must
  // have left, or an interim response would wait for a body that waits for it.
  bool send_unsent() const;
  bool wait_readable_in_time();
  void note_timeout();

  int socket_fd_;
  std::unique_ptr<Transport> transport_;
  std::chrono::milliseconds io_timeout_;
  Clock::time_point read_deadline_ = Clock::time_point::max();
  bool read_timed_out_ = false;
  std::array<char, 16 * 1024> buffer_{};
  size_t buffer_begin_ = 0;
  size_t buffer_end_ = 0;
  mutable std::string unsent_;  // written by httplib, not yet sent
  // A connection's addresses do not change; httplib asks for them on every request.
  mutable std::string remote_ip_, local_ip_;
  mutable int remote_port_ = -1, local_port_ = -1;
};

// Waits until `socket_fd` can be read or `timeout` passes; false on timeout or error.
bool wait_readable(int socket_fd, std::chrono::milliseconds timeout);

}  // namespace prm_mock
