#pragma once
// Connects a test's own socket to a server on 127.0.0.1, for the clients that drive a connection
// byte by byte (httplib's client cannot stall, pipeline or leave a stream unread).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <stdexcept>

namespace prm_mock::testing {

// On failure closes `fd` and throws.
inline void connect_to_loopback(int fd, int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    throw std::runtime_error("connect failed");
  }
}

}  // namespace prm_mock::testing
