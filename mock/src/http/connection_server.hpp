#pragma once
// cpp-httplib's Server with our own per-connection loop. httplib keeps parsing requests, routing and
// writing responses; the loop decides how long a connection lives: it closes when a handler left
// body bytes unread, carries out connection faults, and wakes idle keep-alive connections at once on
// shutdown, so stop() only waits for requests that are actually in flight.
#include <atomic>
#include <chrono>

#include <httplib.h>

namespace prm_mock {

class ConnectionServer : public httplib::Server {
 public:
  ConnectionServer();
  ~ConnectionServer() override;

  void set_io_timeouts(std::chrono::milliseconds read, std::chrono::milliseconds write) {
    read_timeout_ = read;
    write_timeout_ = write;
  }

  // Stops accepting and closes idle connections; requests in flight finish. listen_after_bind()
  // returns once they have. Safe from any thread, more than once.
  void shut_down();
  bool shutting_down() const { return shutting_down_.load(std::memory_order_acquire); }

  // The bound listening socket (-1 before bind or after shut_down).
  int listening_socket() const { return svr_sock_; }

 private:
  bool process_and_close_socket(socket_t sock) override;
  // Waits for the next request's first byte; false when the connection should end instead.
  bool wait_for_next_request(int socket_fd, const class SocketStream& stream) const;

  int shutdown_event_fd_ = -1;
  std::atomic<bool> shutting_down_{false};
  std::chrono::milliseconds read_timeout_{std::chrono::seconds(30)};
  std::chrono::milliseconds write_timeout_{std::chrono::seconds(30)};
};

}  // namespace prm_mock
