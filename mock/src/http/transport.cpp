#include "transport.hpp"

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
  ssize_t sent;
  // MSG_NOSIGNAL: a client that went away must not kill the process with SIGPIPE.
  do sent = ::send(socket_fd_, source, size, MSG_NOSIGNAL);
  while (sent < 0 && errno == EINTR);
  return sent;
}

}  // namespace prm_mock
