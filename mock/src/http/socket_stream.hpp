#pragma once
// A buffered httplib::Stream over one accepted socket. cpp-httplib's own SocketStream lives in its
// compiled library, not its header; owning the stream lets our connection loop decide keep-alive,
// shutdown draining and faults while httplib still parses requests and writes responses.
#include <sys/types.h>

#include <array>
#include <chrono>
#include <string>

#include <httplib.h>

namespace prm_mock {

class SocketStream final : public httplib::Stream {
 public:
  SocketStream(int socket_fd, std::chrono::milliseconds read_timeout,
               std::chrono::milliseconds write_timeout);

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* destination, size_t size) override;
  ssize_t write(const char* source, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override { return socket_fd_; }

  // Bytes already received but not yet consumed (pipelined requests).
  bool has_buffered_bytes() const { return buffer_begin_ < buffer_end_; }

 private:
  int socket_fd_;
  std::chrono::milliseconds read_timeout_;
  std::chrono::milliseconds write_timeout_;
  std::array<char, 16 * 1024> buffer_{};
  size_t buffer_begin_ = 0;
  size_t buffer_end_ = 0;
};

// Waits until `socket_fd` can be read or `timeout` passes; false on timeout or error.
bool wait_readable(int socket_fd, std::chrono::milliseconds timeout);

}  // namespace prm_mock
