#pragma once
// How one connection's bytes move: straight over the TCP socket, or through TLS on top of it.
// SocketStream buffers and times reads above this, so both share the connection loop.
#include <sys/types.h>

#include <chrono>
#include <cstddef>

namespace prm_mock {

class Transport {
 public:
  virtual ~Transport() = default;
  // Blocks at most until the socket's own timeouts; 0 is the peer's orderly close, -1 a failure.
  virtual ssize_t receive(char* destination, std::size_t size) = 0;
  // Sends some of `source`, waiting at most the I/O timeout for room; -1 on failure or timeout.
  virtual ssize_t send(const char* source, std::size_t size) = 0;
  // Bytes already received and decoded but not yet handed out (TLS records read ahead).
  virtual bool has_pending_bytes() const { return false; }
  // Whether the idle-connection thread may read ahead without blocking (plain TCP only: a TLS
  // record may arrive in pieces, and its state machine is not ours to drive there).
  virtual bool can_read_ahead() const { return false; }
  // Ends the session politely where the protocol has a goodbye (TLS close_notify).
  virtual void say_goodbye() {}
};

class PlainTransport final : public Transport {
 public:
  PlainTransport(int socket_fd, std::chrono::milliseconds io_timeout)
      : socket_fd_(socket_fd), io_timeout_(io_timeout) {}
  ssize_t receive(char* destination, std::size_t size) override;
  ssize_t send(const char* source, std::size_t size) override;
  bool can_read_ahead() const override { return true; }

 private:
  int socket_fd_;
  std::chrono::milliseconds io_timeout_;
};

}  // namespace prm_mock
