#pragma once
// A buffered httplib::Stream over one accepted connection. cpp-httplib's own SocketStream lives in
// its compiled library, not its header; owning the stream lets our connection loop decide
// keep-alive, read-ahead while idle, timeouts, shutdown draining and faults, while httplib still
// parses requests and writes responses.
#include <httplib.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "http/exchange_context.hpp"
#include "http/request_head_check.hpp"
#include "http/transport.hpp"

namespace prm_mock {

class SocketStream final : public httplib::Stream {
 public:
  using Clock = std::chrono::steady_clock;

  // `exchange` is the connection's record of the request in progress (it outlives the stream).
  SocketStream(int socket_fd, std::unique_ptr<Transport> transport,
               std::chrono::milliseconds io_timeout, ExchangeContext& exchange);

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* destination, size_t size) override;
  ssize_t write(const char* source, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override { return socket_fd_; }

  Transport& transport() { return *transport_; }
  void replace_transport(std::unique_ptr<Transport> transport) {
    transport_ = std::move(transport);
  }

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

  // The request head at the front of the buffer, checked as far as it has arrived: bytes received
  // since the last call are scanned now, each byte once.
  const RequestHeadCheck& request_head();
  // The head is whole, or already known to be invalid (then it is refused, not parsed).
  bool request_head_ready() {
    return request_head().verdict() != RequestHeadCheck::Verdict::Incomplete;
  }
  // A worker can take the connection without waiting on the client: the head is ready, and so is
  // the body when it is one that is read ahead (body_read_ahead.hpp).
  bool request_ready();
  // The bytes request_head() scanned, from the front of the buffer (to describe a refused head).
  std::string_view scanned_head() const {
    return {buffer_.get() + buffer_begin_, head_check_.scanned()};
  }
  // Right before httplib reads a whole head: drops the empty lines that came before it, which
  // RFC 9112 §2.2 says to ignore and httplib would take for a request line.
  void skip_empty_lines_before_head() { buffer_begin_ += head_check_.leading_empty_line_bytes(); }
  // Once a request is answered: the next head starts at the front of the buffer.
  void start_next_head();

  enum class ReadAhead { Received, NothingYet, Closed };
  // Appends what the socket has now, without blocking (plain TCP only).
  ReadAhead read_ahead();
  enum class HeadRead { Received, Closed, TimedOut };
  // Waits (within the read deadline and the I/O timeout) for more of the request head and appends
  // it. On a worker: TLS bytes cannot be read ahead, so a TLS head is read whole this way.
  HeadRead receive_head_bytes();

  // Sends what write() has collected. httplib writes a response in pieces (the head, then the
  // body); collected, they leave in one send instead of one per piece. The connection loop
  // calls this once the response is complete (or due, when it is delayed: a delayed response is
  // collected whole, whatever its size); reads call it first, so an interim response
  // (100 Continue) reaches the client before we wait for the body. False when sending failed.
  bool flush() { return send_unsent(); }
  // Drops what write() has collected and not sent (a response replaced by another).
  void discard_unsent() { unsent_.clear(); }
  // A dribbled response collected whole: the length of its head (through the blank line), 0 when
  // what is collected is not a whole head; and of all that is collected.
  std::size_t unsent_head_bytes() const;
  std::size_t unsent_bytes() const { return unsent_.size(); }
  // Sends the first `count` collected bytes and keeps the rest; false when sending failed (then
  // nothing is kept).
  bool send_front(std::size_t count);
  // A response collected whole (a delayed one) and not sent yet gets a Date header with `date`
  // when its head has none, right after the status line.
  void date_if_undated(std::string_view date);

 private:
  // const because httplib's is_readable() is: before waiting for the client, what we wrote must
  // have left, or an interim response would wait for a body that waits for it.
  bool send_unsent() const;
  // getpeername or getsockname, asked once: a connection's addresses do not change.
  using AddressLookup = int (*)(int, sockaddr*, socklen_t*);
  void describe_once(AddressLookup lookup, std::string& ip, int& port) const;
  bool wait_readable_in_time();
  void note_timeout();
  // Room after the buffered bytes: moves them to the front, and grows the buffer when the request
  // being received fills it (up to the head limit while the head is incomplete, then to the end
  // of a body read ahead). False when there is no room to make.
  bool make_room_for_request();
  // How large the buffer may grow for the request being received.
  size_t request_byte_limit();

  int socket_fd_;
  ExchangeContext& exchange_;
  std::unique_ptr<Transport> transport_;
  std::chrono::milliseconds io_timeout_;
  Clock::time_point read_deadline_ = Clock::time_point::max();
  bool read_timed_out_ = false;
  // Enough for any usual head; a larger one grows the buffer for its time, up to
  // RequestHeadCheck::kMaxHeadBytes, so that the whole head is checked before httplib parses it.
  static constexpr size_t kUsualCapacity = 16 * 1024;
  std::unique_ptr<char[]> buffer_;
  size_t capacity_ = kUsualCapacity;
  size_t buffer_begin_ = 0;
  size_t buffer_end_ = 0;
  RequestHeadCheck head_check_;  // of the head at buffer_begin_
  size_t body_read_ahead_ = 0;   // of that head's body, once the head is whole
  mutable std::string unsent_;   // written by httplib, not yet sent
  // A connection's addresses do not change; httplib asks for them on every request.
  mutable std::string remote_ip_, local_ip_;
  mutable int remote_port_ = -1, local_port_ = -1;
};

// Waits until `socket_fd` can be read or `timeout` passes; false on timeout or error.
bool wait_readable(int socket_fd, std::chrono::milliseconds timeout);

}  // namespace prm_mock
