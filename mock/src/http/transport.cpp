#include "http/transport.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>

namespace prm_mock {

ssize_t PlainTransport::receive(char* destination, std::size_t size) {
  ssize_t received;
  do received = ::recv(socket_fd_, destination, size, 0);
  while (received < 0 && errno == EINTR);
  return received;
}

ssize_t PlainTransport::send(const char* source, std::size_t size) {
  // Send first and wait only when the socket has no room: a response almost always fits, and a
  // poll before every send would be one more system call per response for nothing.
  // MSG_NOSIGNAL: a client that went away must not kill the process with SIGPIPE.
  for (;;) {
    const ssize_t sent = ::send(socket_fd_, source, size, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (sent >= 0) return sent;
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) return -1;
    pollfd descriptor{socket_fd_, POLLOUT, 0};
    int ready;
    do ready = ::poll(&descriptor, 1, static_cast<int>(io_timeout_.count()));
    while (ready < 0 && errno == EINTR);
    if (ready <= 0) return -1;  // the client has not read for the whole I/O timeout
  }
}

}  // namespace prm_mock
